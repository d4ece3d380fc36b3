// The run folder's names for the UI scripts, from the one place the CLI, the engine host and the
// extension take them (src/engine/report/runFolder.ts, src/engine/defaults.ts). The scripts are
// plain Node and cannot import TypeScript: esbuild compiles those modules once per script run.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths.mjs';

const compiled = path.join(repoRoot, 'out/test/runFolder.cjs');
fs.mkdirSync(path.dirname(compiled), { recursive: true });
await esbuild.build({
  stdin: {
    contents:
      "export { RESULTS_FILE } from './src/engine/report/runFolder'; export { DEFAULT_RUNS_FOLDER } from './src/engine/defaults';",
    resolveDir: repoRoot,
    loader: 'ts',
  },
  outfile: compiled,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});

/** RESULTS_FILE (results.json) marks a finished run; DEFAULT_RUNS_FOLDER (.misas/runs) is where runs go, relative to the experiment's folder. */
export const { RESULTS_FILE, DEFAULT_RUNS_FOLDER } = createRequire(import.meta.url)(compiled);
