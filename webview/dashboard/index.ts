/**
 * The memory dashboard of one live session: action buttons, the diagnosis card, memory and handle
 * charts, and the latest readings. Samples arrive incrementally (`samples`), the engine's analysis
 * separately (`analysis`); after a hide/show the extension resends the history with `reset`.
 */
import { SessionAction, ToWebview } from '../../protocol/messages';
import { checkGcEvent, checkHeapSample, checkSeriesAnalysis, checkSessionInfo, GcEvent, HeapSample, SeriesAnalysis, SessionInfo } from '../../protocol/series';
import { arrayOf, nullable, object, optional } from '../../protocol/validate';
import { custom, h, replaceChildren } from '../dom';
import { formatBytes, formatPercent } from '../format';
import { Host } from '../host';
import { HandlesChart, MemoryChart } from './charts';
import { diagnosisCard } from './diagnosis';

/** Keep at most a day of 1-second samples in the page. */
const MAX_SAMPLES = 86_400;
/** What survives a hide/show before the extension resends the history: the last ten minutes. */
const SAVED_SAMPLES = 600;
const SAVE_EVERY_MS = 5000;

interface SavedState {
  samples: HeapSample[];
  gcEvents: GcEvent[];
  analysis: SeriesAnalysis | null;
  session?: SessionInfo;
}

/** The saved state is data from an earlier page: check it like any inbound message. */
function readSavedState(value: unknown): SavedState | undefined {
  return object<SavedState>({
    samples: arrayOf(checkHeapSample, SAVED_SAMPLES),
    gcEvents: arrayOf(checkGcEvent, SAVED_SAMPLES),
    analysis: nullable(checkSeriesAnalysis),
    session: optional(checkSessionInfo),
  })(value, 'state');
}

export function mountDashboard(root: HTMLElement, host: Host, title: string): void {
  const saved = host.loadState(readSavedState);
  let samples: HeapSample[] = saved?.samples ?? [];
  let gcEvents: GcEvent[] = saved?.gcEvents ?? [];
  let analysis: SeriesAnalysis | null = saved?.analysis ?? null;
  let session: SessionInfo | undefined = saved?.session;
  let drawQueued = false;
  let lastSave = 0;

  const post = (action: SessionAction) => host.post({ type: 'action', action });
  const heading = h('h1', {}, title);
  const state = h('span', { class: 'badge', 'aria-live': 'polite' }, 'connecting');
  const buttons = {
    takeSnapshot: custom('vscode-button', { 'data-action': 'takeSnapshot', title: 'Pauses the target while V8 writes the snapshot' }, 'Take heap snapshot'),
    sampling: custom('vscode-button', { secondary: true, 'data-action': 'startSampling' }, 'Start allocation sampling'),
    collectGarbage: custom('vscode-button', { secondary: true, 'data-action': 'collectGarbage' }, 'Collect garbage'),
    detach: custom('vscode-button', { secondary: true, 'data-action': 'detach' }, 'Detach'),
  };
  buttons.takeSnapshot.addEventListener('click', () => post('takeSnapshot'));
  buttons.sampling.addEventListener('click', () => post(session?.sampling ? 'stopSampling' : 'startSampling'));
  buttons.detach.addEventListener('click', () => post('detach'));

  // A forced GC stops the target's event loop for up to a second on big heaps: ask first, inline
  // (webviews have no modal confirm()).
  const confirmGc = h(
    'div',
    { class: 'confirm', role: 'alertdialog', 'aria-label': 'Collect garbage?', hidden: true },
    'A forced garbage collection pauses the target (0.3–1 s on large heaps). ',
  );
  const confirmYes = custom('vscode-button', { 'data-action': 'confirmCollectGarbage' }, 'Collect now');
  const confirmNo = custom('vscode-button', { secondary: true }, 'Cancel');
  confirmGc.append(confirmYes, ' ', confirmNo);
  buttons.collectGarbage.addEventListener('click', () => {
    confirmGc.hidden = false;
    confirmYes.focus();
  });
  confirmYes.addEventListener('click', () => {
    confirmGc.hidden = true;
    post('collectGarbage');
  });
  confirmNo.addEventListener('click', () => (confirmGc.hidden = true));

  const actionStatus = h('div', { class: 'action-status', role: 'status', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  const diagnosisSlot = h('div', { class: 'diagnosis-slot' });
  const readings = h('div', { class: 'readings', 'aria-label': 'Latest readings' });
  const memoryContainer = h('div', { class: 'chart', 'aria-label': 'Memory over time', role: 'img' });
  const handlesContainer = h('div', { class: 'chart', 'aria-label': 'Active handles over time', role: 'img' });
  replaceChildren(
    root,
    h('header', { class: 'view-header' }, heading, state),
    h('div', { class: 'toolbar actions', role: 'toolbar', 'aria-label': 'Session actions' }, ...Object.values(buttons)),
    confirmGc,
    actionStatus,
    banner,
    diagnosisSlot,
    readings,
    memoryContainer,
    handlesContainer,
  );
  const memoryChart = new MemoryChart(memoryContainer);
  const handlesChart = new HandlesChart(handlesContainer);
  replaceChildren(diagnosisSlot, diagnosisCard(analysis, post));
  renderSession();

  const queueDraw = () => {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      if (samples.length === 0) return;
      saveSoon();
      memoryChart.update(samples, gcEvents, analysis);
      handlesChart.update(samples);
      renderReadings();
    });
  };

  function saveSoon(): void {
    if (Date.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = Date.now();
    host.saveState({ samples: samples.slice(-SAVED_SAMPLES), gcEvents: gcEvents.slice(-SAVED_SAMPLES), analysis, session } satisfies SavedState);
  }

  function renderReadings(): void {
    const last = samples[samples.length - 1];
    const reading = (label: string, value: string) => h('div', { class: 'reading' }, h('span', { class: 'fact-label' }, label), h('span', { class: 'fact-value' }, value));
    replaceChildren(
      readings,
      reading('Heap used', `${formatBytes(last.heapUsed)} of ${formatBytes(last.heapLimit)}`),
      reading('RSS', formatBytes(last.rss)),
      reading('External', formatBytes(last.external)),
      reading('Array buffers', formatBytes(last.arrayBuffers)),
      reading('Handles', String(last.resourceCount)),
      reading('Event loop busy', formatPercent(last.eventLoopUtilization)),
      reading('Sample latency', `${last.latencyMs.toFixed(0)} ms${last.late ? ' (late: the event loop is blocked)' : ''}`),
    );
  }

  function renderSession(): void {
    if (!session) return;
    replaceChildren(heading, session.label);
    state.textContent = session.state;
    state.className = `badge state-${session.state}`;
    const live = session.state === 'attached';
    for (const button of Object.values(buttons)) button.toggleAttribute('disabled', !live);
    buttons.sampling.textContent = session.sampling ? 'Stop allocation sampling' : 'Start allocation sampling';
    buttons.sampling.dataset.action = session.sampling ? 'stopSampling' : 'startSampling';
  }

  host.onMessage((message: ToWebview) => {
    switch (message.type) {
      case 'session':
        session = message.session;
        renderSession();
        break;
      case 'samples':
        samples = message.reset ? message.samples : samples.concat(message.samples);
        gcEvents = message.reset ? message.gcEvents : gcEvents.concat(message.gcEvents);
        if (samples.length > MAX_SAMPLES) samples = samples.slice(-MAX_SAMPLES);
        if (gcEvents.length > MAX_SAMPLES) gcEvents = gcEvents.slice(-MAX_SAMPLES);
        queueDraw();
        break;
      case 'analysis':
        analysis = message.analysis;
        replaceChildren(diagnosisSlot, diagnosisCard(analysis, post));
        lastSave = 0; // a new diagnosis is worth saving at the next draw
        queueDraw();
        break;
      case 'actionState': {
        const progress = message.progress === undefined ? '' : ` ${Math.round(message.progress * 100)}%`;
        actionStatus.textContent = `${ACTION_LABEL[message.action]}: ${message.state}${progress}${message.message ? ` — ${message.message}` : ''}`;
        actionStatus.className = `action-status state-${message.state}`;
        break;
      }
      case 'error':
        banner.hidden = false;
        banner.textContent = message.hint ? `${message.message} ${message.hint}` : message.message;
        break;
      default:
        break;
    }
  });
  queueDraw();
  host.post({ type: 'ready', view: 'dashboard' });
}

const ACTION_LABEL: Record<SessionAction, string> = {
  takeSnapshot: 'Heap snapshot',
  startSampling: 'Allocation sampling',
  stopSampling: 'Allocation sampling',
  collectGarbage: 'Garbage collection',
  detach: 'Detach',
};
