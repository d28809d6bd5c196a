import * as assert from 'node:assert/strict';
import { theilSen } from '../../../engine/series';

describe('theilSen', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);

  it('recovers an exact line', () => {
    const fit = theilSen(xs, xs.map((x) => 3 * x + 7));
    assert.equal(fit.slope, 3);
    assert.equal(fit.intercept, 7);
    assert.equal(fit.agreement, 1);
  });

  it('is not swung by outliers that would wreck least squares', () => {
    const ys = xs.map((x) => 2 * x);
    for (const i of [45, 46, 47, 48]) ys[i] = 10_000; // 8% wild points, all at one end
    const fit = theilSen(xs, ys);
    assert.ok(Math.abs(fit.slope - 2) < 0.2, `slope ${fit.slope}`);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(xs);
    const my = mean(ys);
    const leastSquares = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    assert.ok(Math.abs(leastSquares - 2) > 5, 'the outliers do move an ordinary fit (else this test shows nothing)');
  });

  it('reports low agreement for noise around a flat line', () => {
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const fit = theilSen(xs, xs.map(() => 100 + noise()));
    assert.ok(fit.agreement < 0.65, `agreement ${fit.agreement}`);
    assert.ok(Math.abs(fit.slope) < 0.05);
  });

  it('handles degenerate input', () => {
    assert.equal(theilSen([], []).slope, 0);
    assert.equal(theilSen([1], [5]).intercept, 5);
    assert.equal(theilSen([2, 2, 2], [1, 5, 9]).slope, 0);
    assert.throws(() => theilSen([1, 2], [1]), /differ in length/);
  });

  it('subsamples long series and still finds the slope', () => {
    const long = Array.from({ length: 5000 }, (_, i) => i);
    const fit = theilSen(long, long.map((x) => 0.5 * x + (x % 7)));
    assert.ok(fit.points <= 400);
    assert.ok(Math.abs(fit.slope - 0.5) < 0.01, `slope ${fit.slope}`);
  });
});
