import * as assert from 'node:assert/strict';
import { MisasInputError } from '../../../src/engine/errors';
import { inspectModel, loadModel } from '../../../src/engine/model';
import { image2d, modelFile, modelWithSidecar, volume3d } from './fixtures';

/** Asserts a MisasInputError whose message starts with the model file and matches `problem`. */
function namesFile(file: string, problem: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof MisasInputError, `not a MisasInputError: ${String(e)}`);
    assert.equal(e.file, file);
    assert.ok(e.message.startsWith(`${file}: `), e.message);
    assert.match(e.problem, problem);
    return true;
  };
}

async function predictWith(file: string, ...images: Parameters<Awaited<ReturnType<typeof loadModel>>['predict']>[0]) {
  const model = await loadModel(file);
  try {
    return await model.predict(images);
  } finally {
    await model.dispose();
  }
}

describe('model errors name the model file and what was expected', () => {
  it('a missing model file', async () => {
    const file = modelFile('does_not_exist');
    await assert.rejects(loadModel(file), namesFile(file, /^model file not found$/));
    await assert.rejects(inspectModel(file), namesFile(file, /^model file not found$/));
  });

  it("a truncated .onnx: onnxruntime's error, unwrapped and prefixed", async () => {
    const file = modelFile('truncated');
    await assert.rejects(
      loadModel(file),
      namesFile(file, /^not a loadable ONNX model \(onnxruntime: Protobuf parsing failed\.\)$/),
    );
  });

  it('a classifier ([N, 10] output)', async () => {
    const file = modelFile('classifier');
    await assert.rejects(
      loadModel(file),
      namesFile(
        file,
        /not a segmentation model: its output "scores" has shape \[batch, 10\], without the 2 spatial axes/,
      ),
    );
  });

  it('an int64 input', async () => {
    const file = modelFile('int64_input');
    await assert.rejects(
      loadModel(file),
      namesFile(file, /its input "image" has element type int64; expected a float image tensor/),
    );
  });

  it('an output smaller than the input (found at run time for dynamic shapes)', async () => {
    const file = modelFile('halved');
    await assert.rejects(
      predictWith(file, image2d(20, 18, 1)),
      namesFile(
        file,
        /returned output "logits" of shape \[1, 3, 16, 16\], whose spatial size \[16, 16\] differs from the input's \[32, 32\].*for input 1 of 1; misas needs one label per input pixel/,
      ),
    );
  });

  it('NaN in the output', async () => {
    const file = modelFile('nan_output');
    await assert.rejects(
      predictWith(file, image2d(8, 8, 1), image2d(8, 8, 2)),
      namesFile(file, /^model returned NaN in its output "logits" for input 1 of 2$/),
    );
  });

  it('images the model cannot take', async () => {
    const seg3d = modelFile('seg3d');
    await assert.rejects(
      predictWith(seg3d, volume3d([4, 4, 4], 1), image2d(4, 4, 1)),
      namesFile(seg3d, /^input 2 of 2: is a 2D image, but the model segments 3D volumes$/),
    );
    const twoChannels = { ...image2d(4, 4, 1, 2) };
    await assert.rejects(
      predictWith(modelFile('threshold2d'), twoChannels),
      namesFile(modelFile('threshold2d'), /input 1 of 1: has 2 channels/),
    );
  });

  it('a card that contradicts the output (labels on a 3-channel logits output)', async () => {
    const file = await modelWithSidecar('threshold2d', { output: { kind: 'labels' } });
    await assert.rejects(
      loadModel(file),
      namesFile(file, /says output kind labels, but its output "logits" \[batch, 3, height, width\] has 3 channels/),
    );
  });

  it('CUDA unavailable: a warning naming the model, then the CPU', async () => {
    const warnings: string[] = [];
    const file = modelFile('threshold2d');
    const model = await loadModel(file, { executionProvider: 'cuda', threads: 1, onWarning: (w) => warnings.push(w) });
    try {
      assert.equal(
        model.executionProvider === 'cuda' ||
          warnings.some(
            (w) => w.startsWith(`${file}: CUDA is not available (`) && w.endsWith('running on the CPU instead.'),
          ),
        true,
      );
      assert.equal((await model.predict([image2d(4, 4, 1)]))[0].dims.length, 2);
    } finally {
      await model.dispose();
    }
    await assert.rejects(loadModel(file, { threads: 0 }), namesFile(file, /threads must be a positive integer/));
  });

  it("a label output with a value outside the card's classes", async () => {
    const file = await modelWithSidecar('labels_out', {
      classes: ['background', 'low'],
      normalization: { kind: 'none' },
    });
    await assert.rejects(
      predictWith(file, image2d(6, 6, 3)),
      namesFile(file, /^returned label 2, but its card lists 2 classes \(0–1\) for input 1 of 1$/),
    );
  });
});
