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

  it('ties a big single object to the closure whose scope holds it, named by the variable, not V8 internals', () => {
    // The shape of the demo's leak: module closure `cachedPage` captures Map `renderedPages`; the
    // suspect is the Map's backing table, reached through an internal edge.
    const table: LeakSuspect = {
      kind: 'single-object',
      title: 'One (array) retains 3.6 MB (19.1%) of the heap',
      retainedSize: 3.6 * MB,
      share: 0.191,
      node: node(81, '', 'array', 3.6 * MB),
      className: '(array)',
      path: [
        { edgeName: 'exports', edgeType: 'property', node: node(30, '{cachedPage}', 'object', 152) },
        { edgeName: 'cachedPage', edgeType: 'property', node: node(50, 'cachedPage', 'closure', 3.7 * MB) },
        { edgeName: 'context', edgeType: 'internal', node: node(60, 'system / Context', 'object', 3.7 * MB) },
        { edgeName: 'renderedPages', edgeType: 'context', node: node(70, 'Map', 'object', 3.7 * MB) },
        { edgeName: 'table', edgeType: 'internal', node: node(81, '', 'array', 3.6 * MB) },
      ],
      location: { scriptId: 121, scriptName: '/srv/app/catalog-cache.js', line: 7, column: 19 },
    };
    const [finding] = findingsFromSuspects([table]);
    assert.deepEqual(finding, {
      kind: 'retaining-closure',
      at: { url: '/srv/app/catalog-cache.js', line: 7, column: 19 },
      subject: '`cachedPage`',
      bytes: 3.6 * MB,
      share: 0.191,
      retainedBy: { name: 'renderedPages' },
    });
  });

  it('reports a holder once when it is both big and growing on the same line', () => {
    const bigMap: LeakSuspect = { ...grownMap, kind: 'single-object', growth: undefined, node: node(7, 'Map', 'object', 30 * MB) };
    const onClosure: LeakSuspect = {
      ...bigMap,
      path: [...grownMap.path.slice(0, 2), { edgeName: 'remember', edgeType: 'property', node: node(5, 'remember', 'closure', 31 * MB) }, grownMap.path[2]],
    };
    assert.deepEqual(findingsFromSuspects([onClosure, grownMap]).map((f) => f.kind), ['grown-collection']);
  });

  it('leaves out class groups, objects no closure holds, and suspects without a script', () => {
    const classGroup: LeakSuspect = { ...grownMap, kind: 'class-group', growth: undefined, count: 14000 };
    const unheld: LeakSuspect = { ...grownMap, kind: 'single-object', growth: undefined, path: grownMap.path.slice(0, 1) };
    const unplaced: LeakSuspect = { ...grownMap, location: { scriptId: 42, line: 1, column: 0 } };
    assert.deepEqual(findingsFromSuspects([classGroup, unheld, unplaced]), []);
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
          { id: 6, selfSize: 0, callFrame: frame('render', 'file:///srv/app/page.js', 30), children: [
            // Native frames have no script: what `repeat` allocates counts for its JS caller.
            { id: 7, selfSize: 3 * MB, callFrame: frame('repeat', '', -1), children: [] },
          ] },
        ],
      },
      samples: [],
    };
    const findings = findingsFromProfile(buildFlameTree(profile, 'live'));
    assert.deepEqual(findings.map((f) => [f.subject, f.at.url, f.at.line, f.at.column, f.bytes]), [
      ['`remember`', 'file:///srv/app/server.js', 20, 4, 9 * MB],
      ['`render`', 'file:///srv/app/page.js', 30, 4, 3 * MB],
      ['`parse`', 'file:///srv/app/body.js', 5, 4, 1 * MB],
    ]);
    assert.ok(Math.abs((findings[0].share ?? 0) - 9 / 15.01) < 0.001);
  });
});
