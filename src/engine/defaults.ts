/**
 * Defaults the engine applies when an experiment or a caller gives none, and that the VS Code
 * settings declare again in package.json (which cannot import them):
 * test/unit/extension/settings.test.ts fails when package.json's defaults differ from these.
 * The run limits' defaults are `DEFAULT_LIMITS` (limits.ts), checked the same way.
 */

/** τ: a sweep value is tolerated while the metric stays ≥ τ × its baseline (misas' 0.9). */
export const DEFAULT_TOLERANCE = 0.9;

/**
 * Where runs are written, relative to the experiment's folder. Written with `/` as the setting
 * misas.runsFolder is; `path.join` turns it into `\` on Windows.
 */
export const DEFAULT_RUNS_FOLDER = '.misas/runs';
