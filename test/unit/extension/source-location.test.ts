import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mapScriptToWorkspace, scriptUrlToPath } from '../../../engine/editor/source-location';

describe('script URL to workspace file', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-map-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'server.js'), '');
    fs.writeFileSync(path.join(root, 'main.mjs'), '');
    fs.writeFileSync(path.join(root, 'index.js'), '');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const exists = (file: string) => fs.existsSync(file);

  it('reads file:// URLs (ES modules) and plain absolute paths (CommonJS)', () => {
    assert.equal(scriptUrlToPath('file:///srv/app/a%20b.js'), '/srv/app/a b.js');
    assert.equal(scriptUrlToPath('/srv/app/server.js'), '/srv/app/server.js');
  });

  it('has no file for Node internals, eval and bundler URLs', () => {
    for (const url of ['node:internal/timers', 'internal/modules/cjs/loader', 'evalmachine.<anonymous>', 'webpack://app/./src/x.js', '', 'http://host/x.js']) {
      assert.equal(scriptUrlToPath(url), undefined, url);
    }
  });

  it('keeps a path that exists on this machine', () => {
    const file = path.join(root, 'src', 'server.js');
    assert.equal(mapScriptToWorkspace(`file://${file}`, [], exists), file);
    assert.equal(mapScriptToWorkspace(file, ['/nowhere'], exists), file);
  });

  it('finds a script run elsewhere (a container) by its tail under a workspace folder', () => {
    assert.equal(mapScriptToWorkspace('/app/src/server.js', ['/nowhere', root], exists), path.join(root, 'src', 'server.js'));
    assert.equal(mapScriptToWorkspace('file:///app/main.mjs', [root], exists), path.join(root, 'main.mjs'));
  });

  it('does not match a deep path by its bare file name alone', () => {
    assert.equal(mapScriptToWorkspace('/usr/lib/node_modules/pkg/lib/index.js', [root], exists), undefined);
  });

  it('answers undefined when nothing matches', () => {
    assert.equal(mapScriptToWorkspace('/app/src/missing.js', [root], exists), undefined);
    assert.equal(mapScriptToWorkspace('node:events', [root], exists), undefined);
  });
});
