// Takes a heap snapshot of a running program the way DevTools does: start it with an inspector on
// 127.0.0.1, connect over the Chrome DevTools Protocol, `HeapProfiler.takeHeapSnapshot`, and stream
// the chunks to a file. The program signals it is ready by printing `ready` on stdout and exits
// when its stdin closes (see bench/programs/http-state-server.js).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import CDP from 'chrome-remote-interface';

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;

export interface CaptureOptions {
  /** Record allocation stacks from the program's first line (the snapshot then carries trace_tree etc.). */
  trackAllocations?: boolean;
  /** DevTools' "expose internals" snapshot: no artificial user roots. */
  exposeInternals?: boolean;
  /** Numbers (including small integers) become heap nodes. */
  captureNumericValue?: boolean;
}

export async function captureOverInspector(
  node: string, programArgs: string[], outPath: string, options: CaptureOptions = {},
): Promise<void> {
  // With allocation tracking, the program waits for us before its first line.
  const inspectFlag = options.trackAllocations ? '--inspect-brk=127.0.0.1:0' : '--inspect=127.0.0.1:0';
  const child = spawn(node, [inspectFlag, ...programArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code) => reject(new Error(`${programArgs[0]} exited (${code}) before its snapshot:\n${stderr}`)));
  });
  exited.catch(() => {});
  const inspectorUrl = new Promise<string>((resolve) => {
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      const url = INSPECTOR_URL.exec(stderr)?.[1];
      if (url) resolve(url);
    });
  });
  const ready = new Promise<void>((resolve) => {
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      if (stdout.includes('ready\n')) resolve();
    });
  });
  try {
    const client = await CDP({ target: await Promise.race([inspectorUrl, exited]) });
    const file = fs.createWriteStream(outPath);
    try {
      client.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { file.write(chunk); });
      await client.HeapProfiler.enable();
      if (options.trackAllocations) {
        await client.HeapProfiler.startTrackingHeapObjects({ trackAllocations: true });
        await client.Runtime.runIfWaitingForDebugger();
      }
      await Promise.race([ready, exited]);
      await client.HeapProfiler.takeHeapSnapshot({
        reportProgress: false,
        exposeInternals: options.exposeInternals ?? false,
        captureNumericValue: options.captureNumericValue ?? false,
      });
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
