import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom (docs/ARCHITECTURE.md explains each layer). Every layer lists what it must
 * not import; the patterns match the import's text by folder (gitignore style), so a file moved
 * or added inside a folder stays covered. `types: true` still allows `import type` from there:
 * types vanish from the bundle. test/, scripts/, bench/ and tools/ may import anything.
 *
 *   layer           may import
 *   src/engine      itself, node, npm packages, schemas/*.json, package.json — nothing else of ours
 *   src/protocol    the engine's types (messages are declared in terms of them), nothing at run time
 *   src/host        the engine and the protocol (the engine host process runs the engine)
 *   src/cli         the engine (in-process)
 *   src/extension   vscode, the protocol and the engine's file formats (results, run folders, the
 *                   model card file and its texts); never the model runner, onnxruntime, the
 *                   transforms, image readers or input expansion: they run in the engine host
 *                   (scripts/build.mjs refuses them in the bundle too, however they come in)
 *   webview-ui      (browser) the webview protocols and the results format: engine/report,
 *                   engine/metrics, engine/sweep (summaries, aggregates); types of the rest
 */
const forbid = (patterns, why, options = {}) => ({
  group: patterns,
  message: why,
  allowTypeImports: options.types ?? false,
});

const VSCODE_ONLY_IN_EXTENSION = { name: 'vscode', message: 'only src/extension runs inside VS Code.' };

const layers = {
  'src/engine/**/*.ts': {
    paths: [VSCODE_ONLY_IN_EXTENSION],
    patterns: [
      forbid(
        ['**/protocol/**', '**/host/**', '**/cli/**', '**/extension/**', '**/webview-ui/**'],
        'src/engine imports nothing of the project outside it: the CLI, the engine host and the extension build on it, not the other way round.',
      ),
    ],
  },
  'src/protocol/**/*.ts': {
    paths: [VSCODE_ONLY_IN_EXTENSION],
    patterns: [
      forbid(
        ['**/host/**', '**/cli/**', '**/extension/**', '**/webview-ui/**'],
        'src/protocol declares messages; it depends on no process that sends them.',
      ),
      forbid(
        ['**/engine/**'],
        "src/protocol may use the engine's types only (`import type`): both sides of a message load it.",
        { types: true },
      ),
    ],
  },
  'src/host/**/*.ts': {
    paths: [VSCODE_ONLY_IN_EXTENSION],
    patterns: [
      forbid(
        ['**/extension/**', '**/cli/**', '**/webview-ui/**'],
        'the engine host runs the engine and speaks src/protocol; shared code belongs in src/engine.',
      ),
    ],
  },
  'src/cli/**/*.ts': {
    paths: [VSCODE_ONLY_IN_EXTENSION],
    patterns: [
      forbid(
        ['**/extension/**', '**/host/**', '**/protocol/**', '**/webview-ui/**'],
        'the CLI runs the engine in-process; shared code belongs in src/engine.',
      ),
    ],
  },
  'src/extension/**/*.ts': {
    paths: [
      {
        name: 'onnxruntime-node',
        message: "models run only in the engine host (src/host): onnxruntime never loads in VS Code's extension host.",
      },
    ],
    patterns: [
      forbid(
        ['nifti-reader-js', 'fast-png', 'dicom-parser'],
        'images are decoded only in the engine host: ask it over src/protocol/engine.ts.',
      ),
      // A folder pattern without /** covers the folder's index import and everything inside it.
      forbid(
        [
          '**/engine/transforms',
          '**/engine/io',
          '**/engine/fft',
          '**/engine/dataset',
          '**/engine/sweep/**/runner',
          '**/engine/sweep/**/execute',
        ],
        'the extension does not run the engine (transforms, image readers, inputs, the runner): ask the engine host over src/protocol/engine.ts; types are fine.',
        { types: true },
      ),
      {
        // Of engine/model only the card's file format and its texts (no onnxruntime): a regex, since gitignore patterns cannot re-include a file of an excluded folder.
        regex: '/engine/model(/index)?$|/engine/model/(?!(sidecar|orientation|fit/cardFile|fit/describe)$)',
        message:
          'models are inspected and run only in the engine host: ask it over src/protocol/engine.ts; types are fine.',
        allowTypeImports: true,
      },
      forbid(
        ['**/host/**', '**/cli/**', '**/webview-ui/**'],
        'the extension talks to the engine host over src/protocol and to the webviews by messages, never by importing them.',
      ),
    ],
  },
  'webview-ui/**/*.ts': {
    paths: [
      VSCODE_ONLY_IN_EXTENSION,
      { name: 'onnxruntime-node', message: 'the webview is browser code.' },
      { name: 'ajv', message: 'the webview is browser code: the extension validates what it sends.' },
    ],
    patterns: [
      forbid(['node:*'], 'the webview is browser code: no Node built-ins.'),
      forbid(
        ['**/src/host/**', '**/src/cli/**', '**/src/extension/**'],
        'the webview talks to the extension by messages (src/protocol/webview.ts, fitPanel.ts).',
      ),
      // A regex: gitignore patterns cannot re-include a folder (report/) inside an excluded one (engine/).
      {
        regex: '/src/engine(/index)?$|/src/engine/(?!(report|metrics|sweep)/)',
        message:
          'the webview may run the results format only (engine/report, metrics, sweep summaries); other engine code, types aside, stays out of the browser.',
        allowTypeImports: true,
      },
    ],
  },
};

/** The layers as ESLint config objects: one `no-restricted-imports` per folder (a later one would replace, not extend, it). */
const layerConfigs = Object.entries(layers).map(([files, options]) => ({
  name: `misas/layer ${files}`,
  files: [files],
  rules: { 'no-restricted-imports': ['error', options] },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', '.misas/**', 'tools/**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Type-aware rules, on the files tsconfig.json covers: a promise nobody awaits loses its
    // error (an unhandled rejection kills the engine host; in VS Code it vanishes). Where
    // fire-and-forget is meant, `void` says so and the promise handles its own error.
    name: 'misas/type-aware',
    files: ['src/**/*.ts', 'webview-ui/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  ...layerConfigs,
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
