import * as assert from 'node:assert/strict';
import { planInference } from '../../../src/engine/model/inference/plan';

const MB = 2 ** 20;

describe('planInference: inference workers and their threads when the user does not say', () => {
  it('runs on the main thread with one core, where nothing could overlap', () => {
    assert.deepEqual(planInference(1, 1 * MB), { workers: 0, threadsPerSession: 1 });
  });

  it('runs a small model as one single-threaded session per core, at most 8', () => {
    assert.deepEqual(planInference(2, 1 * MB), { workers: 2, threadsPerSession: 1 });
    assert.deepEqual(planInference(6, 64 * MB), { workers: 6, threadsPerSession: 1 });
    assert.deepEqual(planInference(64, 1 * MB), { workers: 8, threadsPerSession: 8 });
  });

  it('gives a larger model 8 threads per session, and at least one worker', () => {
    assert.deepEqual(planInference(64, 65 * MB), { workers: 8, threadsPerSession: 8 });
    assert.deepEqual(planInference(16, 500 * MB), { workers: 2, threadsPerSession: 8 });
    assert.deepEqual(planInference(4, 500 * MB), { workers: 1, threadsPerSession: 4 });
  });

  it("shares the user's threads out and takes the user's worker count as given", () => {
    assert.deepEqual(planInference(8, 1 * MB, { threads: 1 }), { workers: 1, threadsPerSession: 1 });
    assert.deepEqual(planInference(8, 1 * MB, { threads: 4 }), { workers: 4, threadsPerSession: 1 });
    assert.deepEqual(planInference(8, 1 * MB, { threads: 8, workers: 3 }), { workers: 3, threadsPerSession: 2 });
    assert.deepEqual(planInference(2, 1 * MB, { threads: 1, workers: 2 }), { workers: 2, threadsPerSession: 1 });
  });
});
