import * as assert from 'node:assert/strict';
import { findingsFromProfile, findingsFromSuspects } from '../../../engine/editor/suspect-findings';
import { buildFlameTree, type SamplingHeapProfile } from '../../../engine/profile';
import type { LeakSuspect, NodeInfo } from '../../../engine/snapshot';

const MB = 1024 * 1024;

function node(index: number, name: string, type: string, retainedSize: number): NodeInfo {
  return { index, id: index * 2 + 1, name, type, selfSize: 32, retainedSize, distance: 3, className: name, classKey: `,${name}` };
}

const grownMap: LeakSuspect = {
  kind: 'grown-collection',
  title: 'Map grew at every snapshot',
  retainedSize: 30 * MB,
  share: 0.6,
  node: node(7, 'Map', 'object', 30 * MB),
  className: 'Map',
  growth: { counts: [100, 2000, 4000], retainedSizes: [1 * MB, 15 * MB, 30 * MB] },
  path: [
    { edgeName: '', edgeType: 'element', node: node(1, '(GC roots)', 'synthetic', 100 * MB) },
    { edgeName: 'context', edgeType: 'internal', node: node(3, 'system / Context', 'object', 31 * MB) },
    { edgeName: 'cache', edgeType: 'context', node: node(7, 'Map', 'object', 30 * MB) },
  ],
  location: { scriptId: 42, scriptName: 'file:///srv/app/server.js', line: 13, column: 6 },
};

describe('runtime findings from engine evidence', () => {
  it('turns a grown collection into growth across snapshots, named by the edge that holds it', () => {
    const [finding] = findingsFromSuspects([grownMap]);
    assert.deepEqual(finding, {
      kind: 'grown-collection',
      at: { url: 'file:///srv/app/server.js', line: 13, column: 6 },
      subject: 'Map `cache`',
      bytes: 29 * MB,
      snapshotCount: 3,
      retainedBy: { name: 'cache' },
    });
  });

  it('keeps closures that retain much, drops suspects the engine could not place in a script', () => {
    const closure: LeakSuspect = {
      ...grownMap,
      kind: 'single-object',
      growth: undefined,
      node: node(9, 'onRequest', 'closure', 48 * MB),
      retainedSize: 48 * MB,
    };
    const unplaced: LeakSuspect = { ...grownMap, location: { scriptId: 42, line: 1, column: 0 } };
    const plainObject: LeakSuspect = { ...closure, node: node(11, 'Object', 'object', 48 * MB) };
    const findings = findingsFromSuspects([closure, unplaced, plainObject]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].kind, 'retaining-closure');
    assert.equal(findings[0].subject, '`onRequest`');
    assert.equal(findings[0].bytes, 48 * MB);
  });

  it('names the functions that allocated most of a live profile, at 0-based positions', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 4, scriptId: '1' });
    const profile: SamplingHeapProfile = {
      head: {
        id: 1, selfSize: 0, callFrame: frame('(root)', '', -1), children: [
          { id: 2, selfSize: 9 * MB, callFrame: frame('remember', 'file:///srv/app/server.js', 20), children: [] },
          { id: 3, selfSize: 1 * MB, callFrame: frame('parse', 'file:///srv/app/body.js', 5), children: [
            { id: 4, selfSize: 10 * 1024, callFrame: frame('tiny', 'file:///srv/app/body.js', 9), children: [] },
          ] },
          { id: 5, selfSize: 2 * MB, callFrame: frame('(V8 API)', '', -1), children: [] },
        ],
      },
      samples: [],
    };
    const findings = findingsFromProfile(buildFlameTree(profile, 'live'));
    assert.deepEqual(findings.map((f) => [f.subject, f.at.url, f.at.line, f.at.column]), [
      ['`remember`', 'file:///srv/app/server.js', 20, 4],
      ['`parse`', 'file:///srv/app/body.js', 5, 4],
    ]);
    assert.ok(Math.abs((findings[0].share ?? 0) - 9 / 12.01) < 0.01);
  });
});
