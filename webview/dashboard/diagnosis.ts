/** The diagnosis card: what kind of leak, how sure, how fast, how long until the limit, what next. */
import { SeriesAnalysis } from '../../protocol/series';
import { SessionAction } from '../../protocol/messages';
import { custom, h } from '../dom';
import { formatDuration, formatPercent } from '../format';

const KIND_TITLE: Record<SeriesAnalysis['diagnosis']['kind'], string> = {
  retention: 'Retention: the heap keeps more after every GC',
  'off-heap': 'Off-heap growth: external memory and array buffers rise',
  handles: 'Handle accumulation: timers, sockets or requests pile up',
  'rss-only': 'RSS-only growth: native memory or fragmentation',
  churn: 'Churn: heavy allocation and GC, but a flat floor',
  healthy: 'Healthy: memory is bounded',
};

/** The one-click action that captures what the diagnosis asks for next. */
const NEXT_ACTION: Partial<Record<SeriesAnalysis['diagnosis']['kind'], { action: SessionAction; label: string }>> = {
  retention: { action: 'takeSnapshot', label: 'Take heap snapshot' },
  'off-heap': { action: 'takeSnapshot', label: 'Take heap snapshot' },
  churn: { action: 'startSampling', label: 'Start allocation sampling' },
};

export function diagnosisCard(analysis: SeriesAnalysis | null, onAction: (action: SessionAction) => void): HTMLElement {
  if (!analysis) {
    return h('section', { class: 'card diagnosis pending', 'aria-label': 'Diagnosis' }, h('h2', {}, 'Diagnosis'), h('p', {}, 'Watching… a diagnosis needs a few samples.'));
  }
  const { diagnosis } = analysis;
  const growing = analysis.slope_mb_per_hour > 0;
  const facts = [
    h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, 'Floor slope'), h('span', { class: 'fact-value' }, `${signed(analysis.slope_mb_per_hour)} MB/h`)),
    h(
      'div',
      { class: 'fact' },
      h('span', { class: 'fact-label' }, 'Time to heap limit'),
      h('span', { class: 'fact-value' }, analysis.time_to_limit_s === null ? (growing ? '–' : 'not rising') : formatDuration(analysis.time_to_limit_s)),
    ),
    h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, 'Off-heap slope'), h('span', { class: 'fact-value' }, `${signed(analysis.offheap_slope_mb_per_hour)} MB/h`)),
    h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, 'RSS slope'), h('span', { class: 'fact-value' }, `${signed(analysis.rss_slope_mb_per_hour)} MB/h`)),
    h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, 'Handles'), h('span', { class: 'fact-value' }, `${signed(analysis.handles_slope_per_hour)}/h`)),
    h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, 'Watched'), h('span', { class: 'fact-value' }, formatDuration(analysis.duration_s))),
  ];
  const next = NEXT_ACTION[diagnosis.kind];
  const nextButton = next ? custom('vscode-button', { 'data-action': next.action }, next.label) : null;
  nextButton?.addEventListener('click', () => onAction(next!.action));
  return h(
    'section',
    { class: `card diagnosis kind-${diagnosis.kind}`, 'aria-label': 'Diagnosis', 'data-kind': diagnosis.kind },
    h('h2', {}, KIND_TITLE[diagnosis.kind], h('span', { class: 'confidence', title: 'How sure the diagnosis is' }, ` ${formatPercent(diagnosis.confidence)} sure`)),
    h('div', { class: 'facts' }, ...facts),
    h('ul', { class: 'evidence', 'aria-label': 'Evidence' }, ...diagnosis.evidence.map((line) => h('li', {}, line))),
    h('p', { class: 'next-step' }, h('strong', {}, 'Next: '), diagnosis.next_step, ' ', nextButton),
  );
}

function signed(value: number): string {
  const rounded = Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1);
  return value > 0 ? `+${rounded}` : rounded;
}
