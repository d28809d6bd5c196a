/**
 * Faults, each against a real process: the target dies mid-snapshot, the connection drops, the
 * event loop blocks for 5 s, the port is not an inspector, the port is closed. Each ends in a clear
 * message and leaves no file and no process behind.
 */
import * as assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../engine/errors';
import { connect, isLoopback, SessionEndedError, type HeapSample } from '../../../engine/inspector';
import { analyzeSeries } from '../../../engine/series';
import { delay, isAlive, killLaunched, launch, PROGRAMS, scratchDir, SUPPORT } from './helpers';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('faults', function () {
  this.timeout(90_000);
  let dir: string;
  const servers: Server[] = [];
  beforeEach(() => (dir = scratchDir()));
  afterEach(async () => {
    await killLaunched();
    for (const server of servers.splice(0)) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the target exits in the middle of a snapshot: clear error, no file', async () => {
    const program = await launch(join(SUPPORT, 'big-heap.js'));
    while (!program.output().includes('ready')) await delay(100);
    const pid = program.child.pid as number;
    let killed = false;
    const file = join(dir, 'dying.heapsnapshot');
    await assert.rejects(
      program.session.takeHeapSnapshot(file, {
        onProgress: () => {
          if (!killed) process.kill(pid, 'SIGKILL');
          killed = true;
        },
      }),
      (error: Error) => /heap snapshot failed: the target exited or the connection dropped before the snapshot was complete; nothing was written/.test(error.message),
    );
    assert.ok(killed, 'the kill happened during the capture');
    assert.deepEqual(readdirSync(dir), [], 'neither the file nor its temporary part remains');
    await program.exitCode;
    assert.equal(isAlive(pid), false);
  });

  it('the connection drops: the stream ends with connection-lost and the target lives on', async () => {
    const program = await launch(join(PROGRAMS, 'cache-fixed.js'));
    const target = new URL(program.session.target.wsUrl);
    // A TCP relay between us and the inspector, which we then cut.
    const sockets: Socket[] = [];
    const relay = createServer((client) => {
      const upstream = createConnection(Number(target.port), '127.0.0.1');
      sockets.push(client, upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
    servers.push(relay);
    const relayPort = await listen(relay);
    const session = await connect({ url: `ws://127.0.0.1:${relayPort}${target.pathname}` });
    const samples: HeapSample[] = [];
    let ended: Error | undefined;
    session.streamStats({ intervalMs: 200, onSample: (s) => samples.push(s), onEnd: (e) => (ended = e) });
    while (samples.length < 3) await delay(50);
    for (const socket of sockets) socket.destroy();
    assert.equal(await session.disconnected, 'connection-lost');
    while (!ended) await delay(20);
    assert.ok(ended instanceof SessionEndedError && ended.reason === 'connection-lost', String(ended));
    assert.match(ended.message, /connection to the target was lost/);
    await assert.rejects(session.send('Runtime.getHeapUsage'), SessionEndedError);
    assert.equal(isAlive(program.child.pid as number), true, 'dropping our connection does not hurt the target');
  });

  it('the event loop is blocked for 5 s: sampling goes on, and the block shows in samples and diagnosis', async () => {
    const program = await launch(join(SUPPORT, 'block-event-loop.js'), ['--after', '2', '--block', '5']);
    const samples: HeapSample[] = [];
    let ended: Error | undefined;
    const stream = program.session.streamStats({ intervalMs: 1000, onSample: (s) => samples.push(s), onEnd: (e) => (ended = e) });
    while (!program.output().includes('unblocked')) await delay(100);
    await delay(2500);
    stream.stop();
    assert.equal(ended, undefined, 'a blocked target is not an error');
    assert.ok(samples.length >= 7, `${samples.length} samples`);
    assert.ok(samples.some((s) => s.eventLoopUtilization >= 0.99), 'samples taken during the block show a saturated loop');
    const worst = Math.max(...samples.map((s) => Math.max(s.eventLoopDelayMaxMs, s.late ? s.latencyMs : 0)));
    assert.ok(worst >= 4000 && worst < 8000, `longest stall seen ${worst} ms`);
    assert.ok(analyzeSeries(samples).diagnosis.evidence.some((e) => /event loop was blocked for up to [4-7]\.\d s/.test(e)));
  });

  it('the port is not an inspector: an InputError that says what answered', async () => {
    const web = createHttpServer((_, res) => res.end('<html>my app</html>'));
    servers.push(web);
    const port = await listen(web);
    await assert.rejects(connect({ port }), (e: Error) =>
      e instanceof InputError && e.message.includes(`127.0.0.1:${port} is not a Node inspector`) && e.message.includes('my app'));

    const mute = createServer((socket) => socket.destroy());
    servers.push(mute);
    const mutePort = await listen(mute);
    await assert.rejects(connect({ port: mutePort }), (e: Error) => e instanceof InputError && /is not a Node inspector/.test(e.message));
  });

  it('the port is closed: an InputError that says nothing is listening and what to do', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    await assert.rejects(connect({ port }), (e: Error) =>
      e instanceof InputError && e.message === `nothing is listening on 127.0.0.1:${port}` && /--inspect/.test(e.hint ?? ''));
    await assert.rejects(connect({ url: `ws://127.0.0.1:${port}/gone` }), (e: Error) => e instanceof InputError && /nothing is listening/.test(e.message));
  });

  it('a host that is not this machine needs explicit consent, and says why', async () => {
    await assert.rejects(connect({ url: 'ws://192.0.2.10:9229/abc' }), (e: Error) =>
      e instanceof InputError && /anyone who can reach an inspector port can run any code/.test(e.message) && /--allow-remote/.test(e.hint ?? ''));
    await assert.rejects(connect({ port: 9229, host: 'example.com' }), (e: Error) => e instanceof InputError && /not this machine/.test(e.message));
    for (const host of ['127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '10.0.0.5', '::', 'localhost.example.com', '128.0.0.1']) assert.equal(isLoopback(host), false, host);
  });
});
