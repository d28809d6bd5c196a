/**
 * Runtime evidence on the source line: what snapshots and allocation profiles tie to the user's
 * code, shown as diagnostics in their own collection (`heapscope-runtime`) and as CodeLens. When the
 * language server's static check flags the same line or the same variable, both say so.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { agreeingStaticFindings, type Agreement, type StaticFinding } from '../engine/editor/agreement';
import { codeLensTitle, diagnosticMessage } from '../engine/editor/finding-text';
import { mapScriptToWorkspace } from '../engine/editor/source-location';
import type { RuntimeFinding } from '../engine/editor/types';

/** The `source` the language server puts on its diagnostics. */
const STATIC_SOURCE = 'heapscope';

/** A finding placed in a workspace file, with the capture that proves it (opened from the CodeLens). */
interface PlacedFinding {
  finding: RuntimeFinding;
  file: vscode.Uri;
  evidence: vscode.Uri | undefined;
}

export class RuntimeFindings implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('heapscope-runtime');
  /** Findings by where they came from ("snapshot:s1", "s1/profile"), so one source can be replaced alone. */
  private readonly bySource = new Map<string, PlacedFinding[]>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The static findings the published messages mention, to notice when they change. */
  private publishedStaticKey = '';

  constructor() {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider(
        ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].map((language) => ({ scheme: 'file', language })),
        this,
      ),
      // The static half may arrive (or change) after the runtime half: keep the "both agree" note true.
      // Our own publish fires this event too, so republish only when the static findings changed.
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => this.hasFindingsIn(uri)) && this.staticKey() !== this.publishedStaticKey) this.publish();
      }),
    ];
  }

  /** Replaces the findings of one source; findings whose script is not a workspace file are dropped. */
  show(source: string, findings: readonly RuntimeFinding[], evidence?: vscode.Uri): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const placed: PlacedFinding[] = [];
    for (const finding of findings) {
      const file = mapScriptToWorkspace(finding.at.url, folders, (candidate) => fs.existsSync(candidate));
      if (file) placed.push({ finding, file: vscode.Uri.file(file), evidence });
    }
    this.bySource.set(source, placed);
    this.publish();
  }

  clear(): void {
    this.bySource.clear();
    this.publish();
  }

  /** All findings now shown, for the test hook. */
  snapshot(): { file: string; line: number; title: string }[] {
    return this.all().map((placed) => ({ file: placed.file.fsPath, line: placed.finding.at.line, title: codeLensTitle(placed.finding, agreementsFor(placed)) }));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.placedIn(document.uri).map((placed) => {
      const { finding, evidence } = placed;
      const line = Math.min(finding.at.line, Math.max(0, document.lineCount - 1));
      const title = `$(pulse) ${codeLensTitle(finding, agreementsFor(placed))}`;
      const command: vscode.Command = evidence
        ? { title, command: 'heapscope.openCapture', arguments: [evidence], tooltip: 'Open the capture this was measured in' }
        : { title, command: '' };
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), command);
    });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.diagnostics.dispose();
    this.lensesChanged.dispose();
  }

  private placedIn(uri: vscode.Uri): PlacedFinding[] {
    return this.all().filter(({ file }) => file.toString() === uri.toString());
  }

  private hasFindingsIn(uri: vscode.Uri): boolean {
    return this.placedIn(uri).length > 0;
  }

  private staticKey(): string {
    return this.all()
      .map((placed) => agreementsFor(placed).map((a) => `${a.rule}@${a.line}`).join(','))
      .join('|');
  }

  private all(): PlacedFinding[] {
    return [...this.bySource.values()].flat();
  }

  private publish(): void {
    this.publishedStaticKey = this.staticKey();
    const byFile = new Map<string, { uri: vscode.Uri; items: vscode.Diagnostic[] }>();
    for (const placed of this.all()) {
      const { finding, file } = placed;
      const entry = byFile.get(file.toString()) ?? { uri: file, items: [] };
      const range = new vscode.Range(finding.at.line, finding.at.column, finding.at.line, Number.MAX_SAFE_INTEGER);
      const diagnostic = new vscode.Diagnostic(range, diagnosticMessage(finding, agreementsFor(placed)), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'heapscope-runtime';
      diagnostic.code = finding.kind;
      entry.items.push(diagnostic);
      byFile.set(file.toString(), entry);
    }
    this.diagnostics.clear();
    for (const { uri, items } of byFile.values()) this.diagnostics.set(uri, items);
    this.lensesChanged.fire();
  }
}

/** The language server's findings in a file. */
function staticFindingsIn(file: vscode.Uri): StaticFinding[] {
  return vscode.languages
    .getDiagnostics(file)
    .filter((d) => d.source === STATIC_SOURCE)
    .map((d) => ({
      rule: String(typeof d.code === 'object' ? d.code.value : d.code),
      startLine: d.range.start.line,
      endLine: d.range.end.line,
      message: d.message,
    }));
}

function agreementsFor({ finding, file }: PlacedFinding): Agreement[] {
  return agreeingStaticFindings(finding, staticFindingsIn(file));
}
