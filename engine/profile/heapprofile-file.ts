/**
 * Reading and writing .heapprofile files: exactly the JSON DevTools saves — the `head` call tree
 * plus `samples` — so Chrome DevTools and VS Code open what we write, and we open theirs.
 */
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { InputError } from '../errors';

export type SamplingHeapProfile = Protocol.HeapProfiler.SamplingHeapProfile;
type ProfileNode = Protocol.HeapProfiler.SamplingHeapProfileNode;

export async function readHeapProfile(filePath: string): Promise<SamplingHeapProfile> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${filePath}: ${(error as Error).message}`);
  }
  return parseHeapProfile(text, filePath);
}

/** Parse and check the shape, so a wrong file fails here with its name, not deep in the flame graph. */
export function parseHeapProfile(text: string, where = 'heap profile'): SamplingHeapProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where} is not JSON: ${(error as Error).message}`, 'A .heapprofile is the JSON DevTools saves from "Allocation sampling".');
  }
  const profile = value as Partial<SamplingHeapProfile> | null;
  if (!profile || typeof profile !== 'object' || !isNode(profile.head)) {
    const hint = profile && typeof profile === 'object' && 'snapshot' in profile
      ? 'This looks like a heap snapshot: use `heapscope analyze`.'
      : 'A .heapprofile has a "head" call tree with callFrame, selfSize, id and children.';
    throw new InputError(`${where} is not a sampling heap profile: no valid "head" node`, hint);
  }
  return { head: profile.head, samples: Array.isArray(profile.samples) ? profile.samples : [] };
}

/** Write the profile under a temporary name and rename it, so a failed write leaves no half file. */
export async function saveHeapProfile(profile: SamplingHeapProfile, filePath: string): Promise<number> {
  const text = JSON.stringify({ head: profile.head, samples: profile.samples });
  const partialPath = join(dirname(filePath), `.${basename(filePath)}.${process.pid}.partial`);
  try {
    await writeFile(partialPath, text, { flag: 'wx' });
    await rename(partialPath, filePath);
  } catch (error) {
    await unlink(partialPath).catch(() => undefined);
    throw error;
  }
  return Buffer.byteLength(text);
}

function isNode(node: unknown): node is ProfileNode {
  const n = node as Partial<ProfileNode> | undefined;
  return !!n && typeof n === 'object' && typeof n.id === 'number' && typeof n.selfSize === 'number' &&
    !!n.callFrame && typeof n.callFrame === 'object' && Array.isArray(n.children);
}
