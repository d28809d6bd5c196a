/**
 * Starts the Heapscope language server (dist/server.js) over IPC. The client's id `heapscope` makes
 * vscode-languageclient honour the `heapscope.trace.server` setting on its own; its default error
 * handler restarts a crashed server (up to 5 times in 3 minutes, then it says so in the output).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** JS and TS in every flavour, including .mjs/.cjs/.mts/.cts, which VS Code maps to these language ids. */
const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=127.0.0.1:6011'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Heapscope Language Server');
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'heapscope' },
    outputChannel,
  };
  const client = new LanguageClient('heapscope', 'Heapscope Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client, outputChannel);
  return client;
}
