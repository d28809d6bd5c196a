import * as assert from 'node:assert/strict';
import { codeLensTitle, diagnosticMessage, shortLocation } from '../../../engine/editor/finding-text';
import type { RuntimeFinding } from '../../../engine/editor/types';

const MB = 1024 * 1024;
const grown: RuntimeFinding = {
  kind: 'grown-collection',
  at: { url: 'file:///srv/app/server.js', line: 20, column: 4 },
  subject: 'Map `cache`',
  bytes: 12.4 * MB,
  snapshotCount: 3,
  retainedBy: { name: 'cache', at: { url: '/srv/app/server.js', line: 13, column: 6 } },
};

describe('runtime finding text', () => {
  it('names growth, snapshot count, holder and its 1-based line', () => {
    assert.equal(codeLensTitle(grown), 'grew +12.4 MB across 3 snapshots · retained by `cache` in server.js:14');
  });

  it('leaves out the holder when the engine could not name one', () => {
    assert.equal(codeLensTitle({ ...grown, retainedBy: undefined }), 'grew +12.4 MB across 3 snapshots');
    assert.equal(codeLensTitle({ ...grown, retainedBy: { name: 'sessions' } }), 'grew +12.4 MB across 3 snapshots · retained by `sessions`');
  });

  it('describes closures and allocation sites by what they hold or allocate', () => {
    assert.equal(codeLensTitle({ ...grown, kind: 'retaining-closure', bytes: 48 * MB, retainedBy: undefined }), 'keeps 48.0 MB alive');
    assert.equal(
      codeLensTitle({ ...grown, kind: 'retaining-closure', bytes: 3.6 * MB, share: 0.19, retainedBy: { name: 'renderedPages' } }),
      'keeps 3.6 MB alive (19% of the heap) · through `renderedPages`',
    );
    assert.equal(
      codeLensTitle({ ...grown, kind: 'allocation-site', bytes: 3 * MB, share: 0.314, retainedBy: undefined }),
      'allocated 3.0 MB still live (31% of sampled live memory)',
    );
  });

  it('says so when the static check flags the same line, or the same variable elsewhere', () => {
    const alone = diagnosticMessage(grown, []);
    assert.match(alone, /^Heapscope runtime: Map `cache` grew \+12\.4 MB/);
    assert.doesNotMatch(alone, /static check/);
    const sameLine = diagnosticMessage(grown, [{ rule: 'unbounded-cache', line: 20, sameLine: true }]);
    assert.match(sameLine, /static check flags this line too \(unbounded-cache\)/);
    const sameVariable = diagnosticMessage(grown, [{ rule: 'unbounded-cache', line: 4, sameLine: false }]);
    assert.match(sameVariable, /static check flags `cache` too \(unbounded-cache on line 5\)/);
    assert.equal(
      codeLensTitle(grown, [{ rule: 'unbounded-cache', line: 4, sameLine: false }]),
      'grew +12.4 MB across 3 snapshots · retained by `cache` in server.js:14 · static check agrees (unbounded-cache)',
    );
  });

  it('shortens Windows and POSIX locations to file:line', () => {
    assert.equal(shortLocation({ url: '/a/b/c.js', line: 0, column: 0 }), 'c.js:1');
  });
});
