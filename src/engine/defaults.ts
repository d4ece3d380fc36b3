/**
 * Defaults the engine applies when an experiment or a caller gives none, and that the VS Code
 * settings declare again in package.json (which cannot import them):
 * test/unit/extension/settings.test.ts fails when package.json's defaults differ from these.
 */

/** τ: a sweep value is tolerated while the metric stays ≥ τ × its baseline (misas' 0.9). */
export const DEFAULT_TOLERANCE = 0.9;

/**
 * Where runs are written, relative to the experiment's folder. Written with `/` as the setting
 * misas.runsFolder is; `path.join` turns it into `\` on Windows.
 */
export const DEFAULT_RUNS_FOLDER = '.misas/runs';

export interface RunLimits {
  /** Values one series may sweep. */
  maxValuesPerSeries: number;
  /** Model steps of a whole run: values × inputs × models, summed over the series (one results row each). */
  maxTotalSteps: number;
}

/**
 * 10,000 values is far beyond any useful sweep (the defaults have 9–73); 200,000 rows make a
 * results.json of about 300 MB (measured: 100,000 rows → 145 MB, 1 GB of memory).
 */
export const DEFAULT_LIMITS: RunLimits = { maxValuesPerSeries: 10_000, maxTotalSteps: 200_000 };
