import * as assert from 'node:assert/strict';
import { analyzeSeries, postGcFloor } from '../../../engine/series';
import { majorGcs, MB, sawtooth, series } from './synthetic';

describe('analyzeSeries', () => {
  it('diagnoses retention from a rising post-GC floor, with slope and time to the heap limit', () => {
    const floor = (s: number) => 30 * MB + s * 1 * MB; // +1 MB/s = 3600 MB/h
    const samples = series(60, { heapUsed: sawtooth(floor, 3 * MB) });
    const result = analyzeSeries(samples, { heapLimit: 1024 * MB, gcEvents: majorGcs(60, floor) });
    assert.equal(result.diagnosis.kind, 'retention');
    assert.ok(Math.abs(result.slope_mb_per_hour - 3600) < 1, `slope ${result.slope_mb_per_hour}`);
    assert.equal(result.floor[0].source, 'gc');
    // Last floor point 90 MB, limit 1024 MB: 934 s at 1 MB/s.
    assert.ok(result.time_to_limit_s !== null && Math.abs(result.time_to_limit_s - 934) <= 1, `ttl ${result.time_to_limit_s}`);
    assert.ok(result.diagnosis.confidence > 0.9);
    assert.ok(result.diagnosis.evidence.some((e) => /heap limit/.test(e)));
    assert.match(result.diagnosis.next_step, /snapshot/);
  });

  it('reads the floor from sample minima when the target reported too few major GCs', () => {
    const floor = (s: number) => 30 * MB + s * 0.5 * MB;
    const samples = series(60, { heapUsed: sawtooth(floor, 4 * MB) });
    const points = postGcFloor(samples, majorGcs(60, floor, 30)); // only 2 major GCs
    assert.ok(points.every((p) => p.source === 'minimum'));
    const result = analyzeSeries(samples);
    assert.equal(result.diagnosis.kind, 'retention');
    assert.ok(Math.abs(result.slope_mb_per_hour - 1800) < 100, `slope ${result.slope_mb_per_hour}`);
  });

  it('calls growing external memory with a flat floor off-heap', () => {
    const samples = series(60, { heapUsed: sawtooth(() => 30 * MB, 2 * MB), external: (s) => 2 * MB + s * 2 * MB });
    const result = analyzeSeries(samples);
    assert.equal(result.diagnosis.kind, 'off-heap');
    assert.ok(Math.abs(result.offheap_slope_mb_per_hour - 7200) < 10);
    assert.equal(result.time_to_limit_s, null, 'the heap floor is not rising');
    assert.match(result.diagnosis.next_step, /ArrayBuffer/);
  });

  it('calls rising active handles handle accumulation and names the growing type', () => {
    const samples = series(60, { handles: (s) => 5 + s * 10, heapUsed: sawtooth((s) => 30 * MB + s * 0.05 * MB, 2 * MB) });
    const result = analyzeSeries(samples);
    assert.equal(result.diagnosis.kind, 'handles');
    assert.ok(result.diagnosis.evidence[0].includes('Timeout'), result.diagnosis.evidence[0]);
    assert.ok(Math.abs(result.handles_slope_per_hour - 36000) < 100);
  });

  it('calls RSS growth that heap and external memory do not explain rss-only, with the cgroup deadline', () => {
    const samples = series(60, { rss: (s) => 200 * MB + s * 2 * MB });
    const result = analyzeSeries(samples, { cgroupLimit: 512 * MB });
    assert.equal(result.diagnosis.kind, 'rss-only');
    // RSS ends at 320 MB, 192 MB below the limit, rising 2 MB/s.
    assert.ok(result.rss_time_to_limit_s !== null && Math.abs(result.rss_time_to_limit_s - 96) <= 1, `rss ttl ${result.rss_time_to_limit_s}`);
    assert.ok(result.diagnosis.evidence.some((e) => /cgroup/.test(e)));
  });

  it('does not call the back-and-forth of RSS in a healthy process rss-only', () => {
    // Unreturned pages: RSS beyond heap and external wanders by tens of MB, with a slight upward drift.
    const samples = series(34, { rss: (s) => 160 * MB + s * 1.1 * MB + ((s * 7) % 5) * 4 * MB });
    assert.notEqual(analyzeSeries(samples).diagnosis.kind, 'rss-only');
  });

  it('does not call RSS that rises after start-up and then settles rss-only', () => {
    // +96 MB in the first 30 s (arenas, code space, a bounded cache filling), then flat for 30 s.
    const samples = series(60, { rss: (s) => 200 * MB + Math.min(s, 30) * 3.2 * MB });
    assert.notEqual(analyzeSeries(samples).diagnosis.kind, 'rss-only');
  });

  it('does not call RSS that follows heap growth rss-only', () => {
    const floor = (s: number) => 30 * MB + s * MB;
    const samples = series(60, { heapUsed: sawtooth(floor, MB), rss: (s) => 100 * MB + s * MB });
    assert.equal(analyzeSeries(samples).diagnosis.kind, 'retention');
  });

  it('calls frequent scavenges over a flat floor churn', () => {
    const samples = series(60, { heapUsed: sawtooth(() => 30 * MB, 8 * MB, 2), minorGcs: () => 12, gcPauseMs: () => 30 });
    const result = analyzeSeries(samples);
    assert.equal(result.diagnosis.kind, 'churn');
    assert.match(result.diagnosis.evidence[0], /12\.0 scavenges\/s/);
  });

  it('does not call the few scavenges a second of a busy, healthy server churn', () => {
    const samples = series(60, { heapUsed: sawtooth(() => 30 * MB, 8 * MB, 2), minorGcs: () => 3, gcPauseMs: () => 2 });
    assert.equal(analyzeSeries(samples).diagnosis.kind, 'healthy');
  });

  it('does not call a small unconfirmed floor rise under churn retention (promoted garbage)', () => {
    const samples = series(40, { heapUsed: sawtooth((s) => 4 * MB + s * 0.08 * MB, 3 * MB, 2), minorGcs: () => 16 });
    const result = analyzeSeries(samples);
    assert.equal(result.diagnosis.kind, 'churn');
    assert.ok(result.diagnosis.evidence.some((e) => /no major GC confirmed/.test(e)));
  });

  it('calls growth that reaches a ceiling and stays healthy (bounded)', () => {
    const floor = (s: number) => 30 * MB + Math.min(s, 20) * MB;
    const samples = series(60, { heapUsed: sawtooth(floor, 2 * MB) });
    const result = analyzeSeries(samples, { gcEvents: majorGcs(60, floor, 3) });
    assert.equal(result.diagnosis.kind, 'healthy');
    assert.match(result.diagnosis.evidence[0], /bounded/);
  });

  it('calls a flat series healthy', () => {
    const result = analyzeSeries(series(60, { heapUsed: sawtooth(() => 30 * MB, 2 * MB) }));
    assert.equal(result.diagnosis.kind, 'healthy');
    assert.equal(result.time_to_limit_s, null);
  });

  it('keeps its slope when one sample is wild', () => {
    const floor = (s: number) => 30 * MB + s * MB;
    const samples = series(60, { heapUsed: sawtooth(floor, 3 * MB) });
    const clean = analyzeSeries(samples).slope_mb_per_hour;
    samples[31].heapUsed = 1; // a broken reading in the middle of a window
    const withOutlier = analyzeSeries(samples).slope_mb_per_hour;
    assert.ok(Math.abs(withOutlier - clean) / clean < 0.1, `${clean} vs ${withOutlier}`);
  });

  it('mentions a blocked event loop whatever the diagnosis', () => {
    const samples = series(30, {});
    samples[10].eventLoopDelayMaxMs = 5100;
    assert.ok(analyzeSeries(samples).diagnosis.evidence.some((e) => /blocked for up to 5\.1 s/.test(e)));
  });

  it('says when there are too few samples instead of guessing', () => {
    const result = analyzeSeries(series(3, {}));
    assert.equal(result.diagnosis.confidence, 0);
    assert.match(result.diagnosis.evidence[0], /too few/);
    assert.equal(analyzeSeries([]).sample_count, 0);
  });

  it('produces plain JSON (it travels to the webview)', () => {
    const result = analyzeSeries(series(30, { heapUsed: (s) => 30 * MB + s * MB }));
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
});
