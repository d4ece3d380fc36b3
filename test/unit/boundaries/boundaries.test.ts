/**
 * The layers hold: ESLint refuses an import across a boundary (eslint.config.mjs), and the build
 * refuses a bundle that contains what its layer must not (scripts/build-targets.mjs), however it
 * came in. Both are run on a deliberate violation, and on the real extension bundle.
 */
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { ESLint } from 'eslint';
// @ts-expect-error: a plain .mjs build script without type declarations
import { extensionTarget } from '../../../scripts/build-targets.mjs';

// The project's config as is, minus the type-aware rules: the linted texts are no files tsconfig.json knows.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
});

/** The boundary complaints ESLint makes about `text` as if it were the file `filePath`. */
async function boundaryErrors(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${m.line}: ${m.message}`);
}

describe('layer boundaries in lint', function () {
  this.timeout(60_000); // the first lint loads typescript-eslint

  it('refuses the model runner, onnxruntime and the transform registry in src/extension, and allows their types', async () => {
    const errors = await boundaryErrors(
      'src/extension/run/stray.ts',
      [
        "import { loadModel } from '../../engine/model';",
        "import * as ort from 'onnxruntime-node';",
        "import { transforms } from '../../engine/transforms/registry';",
        "import type { ModelCard } from '../../engine/model/cardTypes';",
        "import { parseRunResults } from '../../engine/report/runFolder';",
        'export const used: unknown[] = [loadModel, ort, transforms, parseRunResults];',
        'export type Card = ModelCard;',
      ].join('\n'),
    );
    assert.deepEqual(
      errors.map((e) => e.split(':')[0]),
      ['1', '2', '3'],
    );
    assert.match(errors[0], /models are inspected and run only in the engine host/);
    assert.match(errors[1], /onnxruntime never loads in VS Code's extension host/);
  });

  it('refuses engine code other than the results format in webview-ui', async () => {
    const errors = await boundaryErrors(
      'webview-ui/data/stray.ts',
      [
        "import { resultsFromJson } from '../../src/engine/report/results';",
        "import { aggregateSeries } from '../../src/engine/sweep/aggregate';",
        "import { readVolume } from '../../src/engine/io/read';",
        "import { readFile } from 'node:fs/promises';",
        "import type { FitReport } from '../../src/engine/model/fit/types';",
        'export const used: unknown[] = [resultsFromJson, aggregateSeries, readVolume, readFile];',
        'export type Report = FitReport;',
      ].join('\n'),
    );
    assert.deepEqual(
      errors.map((e) => e.split(':')[0]),
      ['3', '4'],
    );
  });

  it('refuses anything of the project outside src/engine in the engine, and the CLI in the engine host', async () => {
    assert.equal(
      (
        await boundaryErrors(
          'src/engine/sweep/stray.ts',
          "import type { EngineRequest } from '../../protocol/engine';\nexport type R = EngineRequest;\n",
        )
      ).length,
      1,
    );
    assert.equal(
      (
        await boundaryErrors(
          'src/engine/sweep/stray.ts',
          "import * as vscode from 'vscode';\nexport const v = vscode;\n",
        )
      ).length,
      1,
    );
    assert.equal(
      (
        await boundaryErrors(
          'src/host/stray.ts',
          "import { inspectForCli } from '../cli/inspect';\nexport const f = inspectForCli;\n",
        )
      ).length,
      1,
    );
  });
});

describe('layer boundaries in the build', function () {
  this.timeout(60_000);

  /** Builds `contents` as if it were a file of src/extension, with the extension bundle's options, in memory. */
  async function buildInExtension(contents: string): Promise<esbuild.BuildResult> {
    const { entryPoints: _entry, ...options } = extensionTarget as esbuild.BuildOptions;
    return esbuild.build({
      ...options,
      logLevel: 'silent',
      write: false,
      outfile: 'dist/stray.cjs',
      stdin: { contents, resolveDir: 'src/extension', sourcefile: 'stray.ts', loader: 'ts' },
    });
  }

  /** The build's error texts; fails when the build succeeds. */
  async function buildErrors(contents: string): Promise<string[]> {
    try {
      await buildInExtension(contents);
    } catch (thrown) {
      return (thrown as esbuild.BuildFailure).errors.map((e) => e.text);
    }
    assert.fail('the build succeeded');
  }

  it('refuses onnxruntime in the extension bundle, naming the chain of imports that brought it', async () => {
    const errors = await buildErrors("import { loadModel } from '../engine/model';\nconsole.log(loadModel);\n");
    assert.match(
      errors[0],
      /^dist\/stray\.cjs must not contain onnxruntime-node: .*Imported by src\/extension\/stray\.ts → src\/engine\/model\/index\.ts → .* → onnxruntime-node$/,
    );
  });

  it('refuses the sweep runner and the transform registry even through an allowed-looking module', async () => {
    const errors = await buildErrors(
      "import { executeRun } from '../engine/sweep/run/execute';\nimport { transforms } from '../engine/transforms/registry';\nconsole.log(executeRun, transforms);\n",
    );
    assert.ok(
      errors.some((e) => /must not contain src\/engine\/sweep\/run\/execute\.ts: the sweep runner/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) =>
        /must not contain src\/engine\/transforms\/registry\.ts: .*Imported by src\/extension\/stray\.ts → .*src\/engine\/transforms\/registry\.ts$/.test(
          e,
        ),
      ),
      errors.join('\n'),
    );
  });

  it('builds the real extension bundle without onnxruntime, the runner, the transforms or image decoders', async () => {
    const result = await buildInExtension("import './extension';\n");
    const inputs = Object.keys(result.metafile!.inputs);
    assert.ok(inputs.includes('src/extension/extension.ts'));
    const stray = inputs.filter((file) =>
      /onnxruntime|src\/engine\/(model\/(session|segmentationModel)|transforms|fft|dataset|sweep\/(runner|execute))|nifti-reader-js|fast-png|dicom-parser/.test(
        file,
      ),
    );
    assert.deepEqual(stray, []);
  });
});
