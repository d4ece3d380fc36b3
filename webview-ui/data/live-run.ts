/**
 * A run still going: the panel receives its results so far with `live` progress. What the page
 * says about it, and which exports it offers, live here so the rules are stated once.
 */
import type { HostMessage } from '../../src/protocol/webview';

/** Steps done of the run's total, as the `results` message carries them. */
export type LiveProgress = NonNullable<Extract<HostMessage, { type: 'results' }>['live']>;

/** The header badge of a running run. */
export function liveStatusText(live: LiveProgress): string {
  return `running · ${live.done}/${live.total} steps`;
}

/**
 * Why the run-level CSV/JSON exports are off while the run goes: they write the run folder's
 * formats, whose status can only say completed or cancelled (and results.csv has no status at
 * all), so a partial run exported mid-way would pass for a finished one.
 */
export const RUN_EXPORT_WHILE_LIVE = 'available when the run has finished';

/** Why the overlay viewer waits: its frames are computed from the finished run (and would be refused before). */
export const RUN_VIEWER_WHILE_LIVE = 'shown when the run has finished';
