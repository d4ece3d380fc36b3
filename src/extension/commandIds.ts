/**
 * Every command the extension registers, in one list. Public commands are the user's: package.json
 * contributes them (title, category, icon, menus; VS Code passes them only what its menus pass).
 * Internal commands are named `misas.internal.*` and not contributed, so they never show in the
 * Command Palette: the status-bar item, the extension tests and the UI scripts' keybindings call
 * them. test/unit/extension/commands.test.ts checks this list against package.json, and that no
 * code spells a command id anywhere else.
 * Pure (no `vscode`), so the unit tests can import it.
 */

export const COMMANDS = {
  analyzeModel: 'misas.analyzeModel',
  analyzeImage: 'misas.analyzeImage',
  newExperiment: 'misas.newExperiment',
  openExample: 'misas.openExample',
  runExperiment: 'misas.runExperiment',
  rerunLast: 'misas.rerunLast',
  cancelRun: 'misas.cancelRun',
  openResults: 'misas.openResults',
  compareRuns: 'misas.compareRuns',
  deleteRun: 'misas.deleteRun',
  revealFile: 'misas.revealFile',
  refreshExperiments: 'misas.refreshExperiments',
  inspectModel: 'misas.inspectModel',
  editModelCard: 'misas.editModelCard',
  fitCheck: 'misas.fitCheck',
  showTransforms: 'misas.showTransforms',
  openLog: 'misas.openLog',
} as const;

export const INTERNAL_COMMANDS = {
  /** The status-bar item's click while runs are active: cancel one, or show the log. */
  runStatusMenu: 'misas.internal.runStatusMenu',
  /** Opens (or reveals) a run's results panel: (runDir, compare?) → the panel's snapshot. */
  openResultsPanel: 'misas.internal.openResultsPanel',
  /** Snapshots of every open results panel. */
  resultsPanels: 'misas.internal.resultsPanels',
  /** Snapshots of every open Fit Check panel. */
  fitPanels: 'misas.internal.fitPanels',
  /** Delivers a message to a Fit Check panel as if its page had sent it (a webview cannot be clicked from the extension host). */
  fitPanelMessage: 'misas.internal.fitPanelMessage',
  /** What the Experiments tree shows, as plain data. */
  experimentsSnapshot: 'misas.internal.experimentsSnapshot',
  /** The wizard's open model-card step as plain data; its text settable (tests cannot type). */
  cardStep: 'misas.internal.cardStep',
} as const;

export type PublicCommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
export type InternalCommandId = (typeof INTERNAL_COMMANDS)[keyof typeof INTERNAL_COMMANDS];
export type CommandId = PublicCommandId | InternalCommandId;

/** The prefix that marks a command as internal. */
export const INTERNAL_PREFIX = 'misas.internal.';
