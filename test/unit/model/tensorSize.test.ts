/**
 * A model whose fixed input is absurdly large (1×1×100000×100000 = 10^10 values; the file is
 * 197 bytes, tools/testmodels/make_huge_model.py) is refused by its declared shape when it is
 * loaded, naming the file, before any tensor is allocated.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';
import { loadModel, MAX_MODEL_TENSOR_BYTES } from '../../../src/engine/model';

const MODELS = join(import.meta.dirname, '..', '..', 'data', 'models');

describe('model: tensor sizes checked from the declared shape', () => {
  it('refuses a fixed input of 10^10 values, naming the model and the size it needs', async () => {
    const file = join(MODELS, 'huge_input.onnx');
    await assert.rejects(loadModel(file), (thrown: unknown) => {
      assert.ok(thrown instanceof MisasInputError, String(thrown));
      assert.equal(thrown.file, file);
      // The output is the larger tensor: 3 classes × 10^10 values × 4 bytes = 111.8 GiB.
      const gib = (3 * 1e10 * 4) / 2 ** 30;
      assert.equal(gib.toFixed(1), '111.8');
      assert.equal(
        thrown.problem,
        `the model's fixed size [100000, 100000] needs 111.8 GiB per model call (batch 1 × 3 channels × 10,000,000,000 values, float32), more than misas allocates (2 GiB); is the model's input shape right?`,
      );
      return true;
    });
  });

  it('loads the fixed 128×128 model, far below the limit', async () => {
    const model = await loadModel(join(MODELS, 'fixed128.onnx'));
    try {
      assert.ok(128 * 128 * model.classNames.length * model.maxBatch * 4 < MAX_MODEL_TENSOR_BYTES);
    } finally {
      await model.dispose();
    }
  });
});
