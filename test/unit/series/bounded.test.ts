import * as assert from 'node:assert/strict';
import { absorbGcCounts, analyzeSeries, appendBounded } from '../../../engine/series';
import { MB, sawtooth, series } from './synthetic';

describe('appendBounded', () => {
  it('never holds more than max points, and keeps the first and a spread to the end', () => {
    const points: number[] = [];
    for (let i = 0; i < 1000; i++) appendBounded(points, i, 100);
    assert.ok(points.length <= 100 && points.length >= 50, `${points.length}`);
    assert.equal(points[0], 0);
    assert.ok(points[points.length - 1] >= 990, 'recent points are there');
    for (let i = 1; i < points.length; i++) assert.ok(points[i] > points[i - 1], 'order kept');
  });

  it('keeps GC totals when samples are dropped, so churn reads the same', () => {
    const all = series(600, { heapUsed: sawtooth(() => 30 * MB, 6 * MB, 2), minorGcs: () => 10 });
    const bounded: typeof all = [];
    for (const sample of structuredClone(all)) appendBounded(bounded, sample, 100, absorbGcCounts);
    const total = (list: typeof all) => list.reduce((n, s) => n + s.gc.minor, 0);
    assert.equal(total(bounded), total(all));
    assert.equal(analyzeSeries(bounded).diagnosis.kind, 'churn');
    assert.match(analyzeSeries(bounded).diagnosis.evidence[0], /^10\.0 scavenges\/s/);
  });
});
