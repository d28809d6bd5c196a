import * as assert from 'node:assert/strict';
import { parseAttachInput } from '../../../engine/editor/attach-input';
import { InputError } from '../../../engine/errors';

describe('parsing what the user types to attach', () => {
  it('reads a bare port as loopback', () => {
    assert.deepEqual(parseAttachInput(' 9229 '), { host: '127.0.0.1', port: 9229 });
  });

  it('reads host:port, [ipv6]:port and http://host:port', () => {
    assert.deepEqual(parseAttachInput('localhost:9230'), { host: 'localhost', port: 9230 });
    assert.deepEqual(parseAttachInput('[::1]:9229'), { host: '::1', port: 9229 });
    assert.deepEqual(parseAttachInput('http://10.0.0.5:9229/json/list'), { host: '10.0.0.5', port: 9229 });
  });

  it('passes a ws:// URL through untouched', () => {
    const url = 'ws://127.0.0.1:9229/0f2c936f-b1cd-4ac9-aab3-f63b0f33d55e';
    assert.deepEqual(parseAttachInput(url), { url });
  });

  it('rejects ports out of range and text that names no inspector, with a hint', () => {
    for (const input of ['0', '70000', 'localhost', 'http://host/', 'ws://', 'host:9229/some/page', '']) {
      assert.throws(() => parseAttachInput(input), (error: unknown) => error instanceof InputError && typeof error.hint === 'string', input);
    }
  });
});
