import * as assert from 'node:assert/strict';
import {
  isDescending,
  isDescendingSeries,
  seriesValueOrder,
  withValueInOrder,
} from '../../../src/engine/report/sweepOrder';

describe("sweep order (the user's)", () => {
  it('adds the identity where it falls in an ascending or descending sweep, at the end of an unsorted one', () => {
    assert.deepEqual(withValueInOrder([-90, -45, 45, 90], 0), [-90, -45, 0, 45, 90]);
    assert.deepEqual(withValueInOrder([90, 45, -45, -90], 0), [90, 45, 0, -45, -90]);
    assert.deepEqual(withValueInOrder([4, 2], 1), [4, 2, 1]);
    assert.deepEqual(withValueInOrder([0.5, 0.25], 1), [1, 0.5, 0.25]);
    assert.deepEqual(withValueInOrder([10, -10, 20], 0), [10, -10, 20, 0]);
    assert.deepEqual(withValueInOrder([30, 0, -30], 0), [30, 0, -30], 'an identity already there is not repeated');
    assert.deepEqual(withValueInOrder([], 0), [0]);
  });

  it('calls a sweep descending only when it runs strictly downwards', () => {
    assert.equal(isDescending([3, 2, 1]), true);
    assert.equal(isDescending([1]), false);
    assert.equal(isDescending([3, 3, 1]), false);
    assert.equal(isDescending([1, 2, 3]), false);
    assert.equal(isDescendingSeries([[3, 1], [], [2, 0]]), true, 'inputs without values do not count');
    assert.equal(
      isDescendingSeries([
        [3, 1],
        [0, 2],
      ]),
      false,
    );
    assert.equal(isDescendingSeries([[], []]), false);
  });

  it('orders values downwards, upwards, or by first appearance', () => {
    const sorted = (order: (a: number, b: number) => number) => [0, -10, 20, 10, 5].sort(order);
    assert.deepEqual(sorted(seriesValueOrder([[20, 10, 0, -10]])), [20, 10, 5, 0, -10]);
    assert.deepEqual(
      sorted(
        seriesValueOrder([
          [-10, 0, 10, 20],
          [0, 5],
        ]),
      ),
      [-10, 0, 5, 10, 20],
    );
    assert.deepEqual(
      sorted(seriesValueOrder([[10, -10, 20, 0]])),
      [10, -10, 20, 0, 5],
      'values no input holds go last',
    );
  });
});
