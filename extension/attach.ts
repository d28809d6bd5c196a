/**
 * Attaching to a running Node process: pick a discovered target or type an address, get consent for
 * a host that is not this machine, connect, and start a Session.
 */
import * as vscode from 'vscode';
import { parseAttachInput, type AttachAddress } from '../engine/editor/attach-input';
import { CancelledError } from '../engine/errors';
import { connect, discoverTargets, isLoopback, type InspectorSession } from '../engine/inspector';
import { Session, type SessionOptions } from './session';
import type { SessionManager } from './session-manager';
import { settings } from './settings';

/** Starts watching a connected inspector session. */
export function startSession(manager: SessionManager, inspector: InspectorSession, options: Omit<SessionOptions, 'statsIntervalMs'> & { statsIntervalMs?: number }): Session {
  const session = new Session(inspector, { ...options, statsIntervalMs: options.statsIntervalMs ?? settings.statsIntervalMs() });
  manager.add(session);
  return session;
}

/** Connects to an address (asking consent for a remote host) and starts a session. */
export async function attachTo(
  manager: SessionManager,
  address: AttachAddress,
  options: Partial<Omit<SessionOptions, 'origin'>> = {},
): Promise<Session> {
  const host = hostOf(address);
  const allowRemote = !isLoopback(host) && (await consentToRemote(host));
  const inspector = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Heapscope: attaching to ${describe(address)}` },
    () => connect({ ...address, allowRemote }),
  );
  return startSession(manager, inspector, { ...options, label: options.label ?? describe(address), origin: 'attach' });
}

/** The quick pick: discovered local targets, or an address the user types. Undefined when dismissed. */
export async function pickAddress(): Promise<{ address: AttachAddress; label: string } | undefined> {
  type Item = vscode.QuickPickItem & { address?: AttachAddress };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Attach to Node Process';
  pick.placeholder = 'Pick a process, or type a port, host:port or ws:// URL and press Enter';
  pick.busy = true;
  pick.show();
  discoverTargets()
    .then((targets) => {
      pick.items = targets.map((target) => ({
        label: target.title || target.url || target.wsUrl,
        description: `${target.host}:${target.port}`,
        detail: target.url,
        address: { url: target.wsUrl },
      }));
      if (targets.length === 0) pick.placeholder = 'No process found on ports 9229–9232: type a port, host:port or ws:// URL';
    })
    .catch(() => undefined)
    .finally(() => (pick.busy = false));
  try {
    return await new Promise((resolve, reject) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0];
        if (chosen?.address) resolve({ address: chosen.address, label: chosen.label });
        else if (pick.value.trim()) {
          try {
            resolve({ address: parseAttachInput(pick.value), label: pick.value.trim() });
          } catch (error) {
            reject(error);
          }
        }
      });
      pick.onDidHide(() => resolve(undefined));
    });
  } finally {
    pick.dispose();
  }
}

/** A remote inspector runs any code sent to it: ask every time, unless the user opted in for good. */
async function consentToRemote(host: string): Promise<boolean> {
  if (settings.allowRemote()) return true;
  const attach = 'Attach Anyway';
  const answer = await vscode.window.showWarningMessage(
    `${host} is not this machine. Anyone who can reach an inspector port can run any code in that process, and the connection is not encrypted.`,
    { modal: true, detail: 'Attach only over a network you trust; better, tunnel the port to 127.0.0.1 over SSH (ssh -L 9229:127.0.0.1:9229 host).' },
    attach,
  );
  if (answer !== attach) throw new CancelledError('attach to a remote host declined');
  return true;
}

/** The host to ask consent for; a URL is checked like typed input, so a malformed one fails clearly. */
function hostOf(address: AttachAddress): string {
  if (!('url' in address)) return address.host;
  const parsed = parseAttachInput(address.url);
  return 'url' in parsed ? new URL(parsed.url).hostname : parsed.host;
}

function describe(address: AttachAddress): string {
  if ('url' in address) {
    const url = new URL(address.url);
    return `${url.hostname}:${url.port}`;
  }
  return `${address.host}:${address.port}`;
}
