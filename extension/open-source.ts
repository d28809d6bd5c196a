/** Opens the script a webview points at (a closure's definition, a flame-graph frame) at its line. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { mapScriptToWorkspace } from '../engine/editor/source-location';

/** `line` and `column` are 0-based, as V8 reports them. */
export async function openSource(url: string, line: number, column: number): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const file = mapScriptToWorkspace(url, folders, (candidate) => fs.existsSync(candidate));
  if (!file) {
    void vscode.window.showInformationMessage(
      url.startsWith('node:') ? `${url} is part of Node.js itself; there is no file to open.` : `Heapscope cannot find ${url} on this machine or in the workspace.`,
    );
    return;
  }
  const position = new vscode.Position(line, column);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: true });
}
