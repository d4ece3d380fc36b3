// The bundles scripts/build.mjs builds, and what each must never contain. ESLint
// (eslint.config.mjs) refuses forbidden imports file by file; the check here sees the whole
// bundle, so an import that comes in through a chain of allowed ones fails the build too.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

/** A bundled file (path relative to the repository, or under node_modules) or an external import it must not have. */
const ONNXRUNTIME = {
  test: /(^|\/)onnxruntime-node(\/|$)/,
  why: "onnxruntime (native code) loads only in the engine host (src/host), never in VS Code's extension host",
};
const MODEL_RUNNER = {
  test: /^src\/engine\/sweep\/(.+\/)?(runner|execute)\.ts$/,
  why: 'the sweep runner runs only in the engine host (src/host)',
};
const TRANSFORMS = {
  test: /^src\/engine\/(transforms|fft)\//,
  why: 'the transforms run only in the engine host; the extension asks it for the registry (listTransforms)',
};
const INPUTS = {
  test: /(^|\/)node_modules\/(nifti-reader-js|fast-png|dicom-parser|jpeg-lossless-decoder-js|@cornerstonejs\/codec-[^/]+)\/|^src\/engine\/dataset\//,
  why: 'images and inputs are read only in the engine host',
};
const NODE_ONLY = {
  test: /(^|\/)node_modules\/ajv\/|^src\/engine\/(model|io|dataset|transforms|fft)\//,
  why: 'the webview is browser code: it runs the results format only (engine/report, metrics, sweep summaries)',
};

/**
 * An esbuild plugin that fails the build when the bundle contains, or imports as an external,
 * a file one of `rules` refuses; the message shows the chain of imports that brought it in.
 */
export function refuseInBundle(rules) {
  return {
    name: 'misas-bundle-boundaries',
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (!result.metafile) return undefined;
        const importedBy = new Map();
        const offenders = [];
        for (const [file, input] of Object.entries(result.metafile.inputs)) {
          offenders.push({ file, via: file, bundled: true });
          for (const imported of input.imports) {
            if (!importedBy.has(imported.path)) importedBy.set(imported.path, file);
            if (imported.external) offenders.push({ file: imported.path, via: file, bundled: false });
          }
        }
        const refusal = (file) => rules.find((rule) => rule.test.test(file));
        const errors = [];
        for (const { file, via, bundled } of offenders) {
          const rule = refusal(file);
          // One message per way in: files that a refused file brought along are not listed again.
          if (!rule || (bundled && refusal(importedBy.get(file) ?? ''))) continue;
          const chain = [file];
          for (let at = bundled ? importedBy.get(file) : via; at && !chain.includes(at); at = importedBy.get(at))
            chain.unshift(at);
          errors.push({
            length: chain.length,
            text: `${build.initialOptions.outfile} must not contain ${file}: ${rule.why}. Imported by ${chain.join(' → ')}`,
          });
        }
        // A refused bundle is not left behind for VS Code to load.
        if (errors.length && build.initialOptions.outfile && build.initialOptions.write !== false) {
          for (const file of [build.initialOptions.outfile, `${build.initialOptions.outfile}.map`])
            rmSync(file, { force: true });
        }
        // The shortest way in first: usually the import to remove.
        return { errors: errors.sort((a, b) => a.length - b.length).map(({ text }) => ({ text })) };
      });
    },
  };
}

/**
 * The WebAssembly files of the DICOM codecs (src/engine/io/dicom-codecs.ts). Their Emscripten
 * glue is bundled, and looks for its .wasm file in its own directory: the bundle's, dist/.
 */
const require = createRequire(import.meta.url);
export const CODEC_WASM_FILES = [
  '@cornerstonejs/codec-charls/decodewasm',
  '@cornerstonejs/codec-openjpeg/decodewasm',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
].map((specifier) => require.resolve(specifier));

/** An esbuild plugin that copies the codecs' .wasm files next to the bundle it builds. */
function copyCodecWasm() {
  return {
    name: 'misas-codec-wasm',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length || build.initialOptions.write === false) return;
        const dist = dirname(build.initialOptions.outfile);
        mkdirSync(dist, { recursive: true });
        for (const file of CODEC_WASM_FILES) copyFileSync(file, join(dist, basename(file)));
      });
    },
  };
}

// onnxruntime-node ships native .node binaries that esbuild cannot bundle; it stays in
// node_modules (and in the VSIX). nifti-reader-js and fast-png are ESM-only: bundling them
// into CommonJS output is what lets VS Code's require() load the extension.
const extension = {
  entryPoints: ['src/extension/extension.ts'],
  outfile: 'dist/extension.cjs',
  // External, so that a stray import reaches the check below by name instead of failing on a .node file.
  external: ['vscode', 'onnxruntime-node'],
  plugins: [refuseInBundle([ONNXRUNTIME, MODEL_RUNNER, TRANSFORMS, INPUTS])],
};

export const nodeTargets = [
  extension,
  // The engine host and the CLI read images: they carry the DICOM codecs' WebAssembly.
  {
    entryPoints: ['src/host/main.ts'],
    outfile: 'dist/host.cjs',
    external: ['onnxruntime-node'],
    plugins: [copyCodecWasm()],
  },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    external: ['onnxruntime-node'],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [copyCodecWasm()],
  },
  // The inference worker threads the engine host and the CLI start (src/engine/model/inference/pool.ts).
  {
    entryPoints: ['src/engine/model/inference/worker.ts'],
    outfile: 'dist/inference-worker.cjs',
    external: ['onnxruntime-node'],
  },
].map((target) => ({
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // import.meta.url locates the inference worker when running from sources; bundles use __dirname instead.
  logOverride: { 'empty-import-meta': 'silent' },
  ...target,
}));

/** dist/extension.cjs, loaded by VS Code (the unit tests build it to check what it contains). */
export const extensionTarget = nodeTargets[0];

export const webTargets = [
  { entryPoints: ['webview-ui/main.ts'], outfile: 'dist/webview.js' },
  { entryPoints: ['webview-ui/fit/main.ts'], outfile: 'dist/fit.js' },
].map((target) => ({
  ...common,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  plugins: [refuseInBundle([ONNXRUNTIME, NODE_ONLY])],
  ...target,
}));
