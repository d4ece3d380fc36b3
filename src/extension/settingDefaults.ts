/**
 * The default of every `misas.*` setting. package.json declares them again (with their docs)
 * because it cannot import; test/unit/extension/settings.test.ts fails when the two differ, or
 * when a setting is declared on one side only. Defaults the engine applies itself (runs folder,
 * tolerance, run limits) are the engine's constants, so CLI and VS Code cannot drift apart.
 * Pure: no `vscode`, so the unit tests can import it.
 */
import { DEFAULT_RUNS_FOLDER, DEFAULT_TOLERANCE } from '../engine/defaults';
import { DEFAULT_LIMITS } from '../engine/defaults';

/** The misas series: what the wizard ticks when the user has not chosen otherwise. */
export const MISAS_DEFAULT_SERIES: readonly string[] = [
  'rotate',
  'crop',
  'zoom',
  'dihedral',
  'resize',
  'brightness',
  'contrast',
  'spike',
  'ghosting',
  'bias-field',
];

export const SETTING_DEFAULTS = {
  /** 0: onnxruntime decides. */
  threads: 0,
  /** 0: the engine decides (by the core count and the model's size). */
  workers: 0,
  executionProvider: 'cpu',
  /** 0: the engine decides. */
  batchSize: 0,
  defaultSeries: MISAS_DEFAULT_SERIES,
  tolerance: DEFAULT_TOLERANCE,
  runsFolder: DEFAULT_RUNS_FOLDER,
  keepPredictions: false,
  /** 0: the engine decides. */
  maxMemoryMB: 0,
  maxValuesPerSeries: DEFAULT_LIMITS.maxValuesPerSeries,
  maxTotalSteps: DEFAULT_LIMITS.maxTotalSteps,
  openResultsOnRun: true,
  /** 0: never stop the idle engine. */
  engineIdleMinutes: 10,
} as const;

export type SettingName = keyof typeof SETTING_DEFAULTS;
