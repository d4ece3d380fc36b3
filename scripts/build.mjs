// Builds the bundles (scripts/build-targets.mjs): the extension (loaded by VS Code), the engine
// host process (runs onnxruntime away from the extension host), the CLI, and the webview UIs
// (browser): the results panel and the fit-check panel.
import * as esbuild from 'esbuild';
import { nodeTargets, webTargets } from './build-targets.mjs';

const watch = process.argv.includes('--watch');

const all = [...nodeTargets, ...webTargets];
if (watch) {
  for (const options of all) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(all.map((options) => esbuild.build(options)));
}
