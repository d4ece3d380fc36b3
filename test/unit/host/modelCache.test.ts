// The engine host's model cache: a run leases all of its models at once; the models of the last
// run stay loaded even when there are more than the usual two; a failed load leaks no lease.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelCache } from '../../../src/host/modelCache';
import { memoryBudgetBytes } from '../../../src/host/runs';

const example = resolve(fileURLToPath(import.meta.url), '../../../../examples/colin27');
const settings = { threads: 1 };
const noWarnings = (message: string) => assert.fail(`unexpected warning: ${message}`);

describe('host/ModelCache: the models of a run', function () {
  this.timeout(60_000);
  let folder: string;
  let paths: string[];
  const cache = new ModelCache();

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'misas-model-cache-'));
    // Three model files (copies, each with its card): three cache entries.
    paths = ['a', 'b', 'c'].map((name) => {
      copyFileSync(join(example, 'model.onnx'), join(folder, `${name}.onnx`));
      copyFileSync(join(example, 'model.onnx.misas.json'), join(folder, `${name}.onnx.misas.json`));
      return join(folder, `${name}.onnx`);
    });
  });

  after(async () => {
    await cache.clear();
    rmSync(folder, { recursive: true, force: true });
  });

  it('leases every model in order, and keeps all three loaded after the run releases them', async () => {
    const first = await cache.acquireAll(paths, settings, noWarnings);
    assert.deepEqual(
      first.models.map((model) => model.path),
      paths,
    );
    first.release();
    const again = await cache.acquireAll(paths, settings, noWarnings);
    again.models.forEach((model, i) => assert.equal(model, first.models[i], `${paths[i]} was loaded again`));
    again.release();
  });

  it('releases the models already leased when one fails to load', async () => {
    const missing = join(folder, 'missing.onnx');
    await assert.rejects(cache.acquireAll([paths[0], missing], settings, noWarnings));
    const before = await cache.acquire(paths[0], settings, noWarnings);
    before.release();
    // Idle models go on clear(); a leaked lease would keep paths[0] loaded.
    await cache.clear();
    const after = await cache.acquire(paths[0], settings, noWarnings);
    assert.notEqual(after.model, before.model, 'the failed run left its first model leased');
    after.release();
  });
});

describe('host/memoryBudgetBytes: the misas.maxMemoryMB setting', () => {
  it('turns MiB into bytes and leaves 0 or nonsense to the engine default', () => {
    assert.equal(memoryBudgetBytes({ maxMemoryMB: 512 }), 512 * 1024 * 1024);
    for (const maxMemoryMB of [undefined, 0, -3, Number.NaN, Infinity])
      assert.equal(
        memoryBudgetBytes({ ...(maxMemoryMB === undefined ? {} : { maxMemoryMB }) }),
        undefined,
        String(maxMemoryMB),
      );
  });
});
