/**
 * The status-bar item: the current session's heap in use and the slope of its post-GC floor
 * ("$(pulse) 84.2 MB ↗ +120 MB/h"). Click: the session's memory dashboard.
 */
import * as vscode from 'vscode';
import { formatBytes, formatDuration, formatMbPerHour } from '../engine/series';
import type { Session } from './session';
import type { SessionManager } from './session-manager';

export function createStatusBar(manager: SessionManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('heapscope.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Heapscope Memory';
  item.command = 'heapscope.openDashboard';
  const update = () => render(item, manager.current);
  const subscription = manager.onDidChange((changed) => {
    if (changed === undefined || changed === manager.current) update();
  });
  update();
  return vscode.Disposable.from(item, subscription);
}

function render(item: vscode.StatusBarItem, session: Session | undefined): void {
  const latest = session?.latest;
  if (!session || !latest) {
    item.hide();
    return;
  }
  const analysis = session.analysis;
  const slope = analysis && analysis.sample_count >= 10 ? analysis.slope_mb_per_hour : undefined;
  const arrow = slope === undefined ? '' : slope > 1 ? ' ↗ ' : slope < -1 ? ' ↘ ' : ' → ';
  const icon = session.live ? '$(pulse)' : '$(debug-disconnect)';
  item.text = `${icon} ${formatBytes(latest.heapUsed)}${slope === undefined ? '' : `${arrow}${formatMbPerHour(slope)}`}`;
  item.tooltip = tooltip(session);
  item.backgroundColor =
    analysis && analysis.diagnosis.kind !== 'healthy' && analysis.diagnosis.confidence >= 0.6
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
  item.show();
}

function tooltip(session: Session): vscode.MarkdownString {
  const latest = session.latest!;
  const lines = [
    `**${session.label}** — ${session.live ? 'live' : session.state}`,
    '',
    `Heap used ${formatBytes(latest.heapUsed)} of ${formatBytes(latest.heapTotal)} (limit ${formatBytes(latest.heapLimit)}), RSS ${formatBytes(latest.rss)}`,
  ];
  const analysis = session.analysis;
  if (analysis) {
    const { diagnosis } = analysis;
    const toLimit = analysis.time_to_limit_s === null ? '' : `, ${formatDuration(analysis.time_to_limit_s)} to the heap limit`;
    lines.push('', `Diagnosis: **${diagnosis.kind}** (${Math.round(diagnosis.confidence * 100)}% sure), floor ${formatMbPerHour(analysis.slope_mb_per_hour)}${toLimit}`);
  }
  lines.push('', 'Click to open the memory dashboard.');
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.isTrusted = false;
  return markdown;
}
