/**
 * Registers the `heapscope` debug type: fills in a launch configuration when there is no launch.json
 * (F5 on a JS/TS file), and runs the adapter inline in the extension host.
 */
import * as vscode from 'vscode';
import { HeapscopeDebugAdapter, type MonitorHost } from './debug-adapter';

const SCRIPT_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (editor && SCRIPT_LANGUAGES.has(editor.document.languageId)) {
        return { type: 'heapscope', request: 'launch', name: 'Heapscope: Launch with Memory Monitor', program: '${file}' };
      }
    }
    if (config.request === 'launch' && !config.program) {
      void vscode.window.showErrorMessage('Heapscope: the launch configuration has no "program". Set it to the script to run, e.g. "${workspaceFolder}/index.js".');
      return undefined;
    }
    if (config.request === 'attach' && config.port === undefined && !config.url) {
      void vscode.window.showErrorMessage('Heapscope: the attach configuration needs a "port" (of a process started with --inspect) or a ws:// "url".');
      return undefined;
    }
    return config;
  }
}

export function registerDebugType(host: MonitorHost): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugConfigurationProvider('heapscope', new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory('heapscope', {
      createDebugAdapterDescriptor: (session) => new vscode.DebugAdapterInlineImplementation(new HeapscopeDebugAdapter(session.id, host)),
    }),
  );
}
