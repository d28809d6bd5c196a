// Takes a heap snapshot of a running program the way DevTools does: start it with
// `--inspect=127.0.0.1:0`, connect over the Chrome DevTools Protocol, `HeapProfiler.takeHeapSnapshot`,
// and stream the chunks to a file. The program signals it is ready by printing `ready` on stdout
// and exits when its stdin closes (see bench/programs/http-state-server.js).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import CDP from 'chrome-remote-interface';

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;

export async function captureOverInspector(node: string, programArgs: string[], outPath: string): Promise<void> {
  const child = spawn(node, ['--inspect=127.0.0.1:0', ...programArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const inspectorUrl = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let url: string | undefined;
      let ready = false;
      const settle = () => { if (url && ready) resolve(url); };
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        url ??= INSPECTOR_URL.exec(stderr)?.[1];
        settle();
      });
      child.stdout.on('data', (data: Buffer) => {
        stdout += data.toString();
        ready ||= stdout.includes('ready\n');
        settle();
      });
      child.on('exit', (code) => reject(new Error(`${programArgs[0]} exited (${code}) before it was ready:\n${stderr}`)));
    });
    const client = await CDP({ target: inspectorUrl });
    const file = fs.createWriteStream(outPath);
    try {
      client.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { file.write(chunk); });
      await client.HeapProfiler.enable();
      await client.HeapProfiler.takeHeapSnapshot({ reportProgress: false });
    } finally {
      await client.close();
      await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
  } finally {
    child.stdin.end();
    if (child.exitCode === null) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        setTimeout(() => child.kill(), 10_000).unref();
      });
    }
  }
}
