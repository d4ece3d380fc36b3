import * as assert from 'node:assert/strict';
import { polylinePath } from '../../../webview-ui/chart/path';

describe('webview polyline path', () => {
  const path = (ys: Array<number | null>) =>
    polylinePath(
      ys.map((y, i) => ({ x: i * 10, y })),
      (p) => p.y !== null,
      (p) => p.x,
      (p) => p.y!,
    );

  it('joins defined points and starts a new subpath after a gap', () => {
    assert.equal(path([1, 2, null, 4, 5.123456]), 'M0,1L10,2M30,4L40,5.12');
    assert.equal(path([null, 3]), 'M10,3');
    assert.equal(path([null, null]), '');
  });
});
