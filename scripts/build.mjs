// Builds the bundles: the extension (loaded by VS Code), the engine host process (runs
// onnxruntime away from the extension host), the CLI, and the webview UIs (browser): the
// results panel and the fit-check panel.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

// onnxruntime-node ships native .node binaries that esbuild cannot bundle; it stays in
// node_modules (and in the VSIX). nifti-reader-js and fast-png are ESM-only: bundling them
// into CommonJS output is what lets VS Code's require() load the extension.
const nodeTargets = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode'] },
  { entryPoints: ['src/host/main.ts'], outfile: 'dist/host.cjs', external: ['onnxruntime-node'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.cjs', external: ['onnxruntime-node'], banner: { js: '#!/usr/bin/env node' } },
].map((target) => ({ ...common, platform: 'node', target: 'node20', format: 'cjs', ...target }));

const webTargets = [
  { entryPoints: ['webview-ui/main.ts'], outfile: 'dist/webview.js' },
  { entryPoints: ['webview-ui/fit/main.ts'], outfile: 'dist/fit.js' },
].map((target) => ({ ...common, platform: 'browser', target: 'es2022', format: 'iife', ...target }));

const all = [...nodeTargets, ...webTargets];
if (watch) {
  for (const options of all) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(all.map((options) => esbuild.build(options)));
}
