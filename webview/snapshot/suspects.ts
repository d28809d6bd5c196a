/** The leak-suspects report: a card per suspect, with its path to a GC root and source link. */
import { LeakSuspect } from '../../protocol/snapshot';
import { custom, h, replaceChildren } from '../dom';
import { formatBytes, formatCount, formatPercent } from '../format';
import { openable, OpenSource, sourceLink } from './cells';
import { pathItems, RetainersTarget, targetOf } from './retainers';
import { SnapshotQueries } from './queries';

const KIND_LABEL: Record<LeakSuspect['kind'], string> = {
  'single-object': 'one object',
  'class-group': 'many instances',
  'grown-collection': 'grew',
};

export class SuspectsPanel {
  readonly element = h('div', { class: 'panel-body suspects', role: 'list', 'aria-label': 'Leak suspects' });
  private loaded = false;

  constructor(
    private readonly queries: SnapshotQueries,
    private readonly openSource: OpenSource,
    private readonly onShowRetainers: (target: RetainersTarget) => void,
  ) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    replaceChildren(this.element, h('p', {}, 'Looking for suspects…'));
    const { suspects } = await this.queries.ask({ kind: 'suspects' });
    if (suspects.length === 0) {
      replaceChildren(this.element, h('p', {}, 'No leak suspects: nothing dominates a large share of the heap.'));
      return;
    }
    replaceChildren(this.element, ...suspects.map((s) => this.card(s)));
  }

  private card(suspect: LeakSuspect): HTMLElement {
    const actions = h('div', { class: 'card-actions' });
    const location = suspect.location ?? suspect.node.location;
    if (openable(location)) actions.append(sourceLink(location, this.openSource));
    const show = custom('vscode-button', { secondary: true }, 'Show retainers');
    show.addEventListener('click', () => this.onShowRetainers(targetOf(suspect.node)));
    actions.append(show);
    const facts = [`${formatBytes(suspect.retainedSize)} retained (${formatPercent(suspect.share)} of the heap)`];
    if (suspect.count !== undefined) facts.push(`${formatCount(suspect.count)} instances`);
    if (suspect.growth) facts.push(`entries ${suspect.growth.counts.map(formatCount).join(' → ')}`);
    return h(
      'article',
      { class: `card suspect suspect-${suspect.kind}`, role: 'listitem' },
      h('h3', {}, h('span', { class: 'badge' }, KIND_LABEL[suspect.kind]), ' ', suspect.title),
      h('p', {}, facts.join(' · ')),
      h('ol', { class: 'gc-path', 'aria-label': 'Path from a GC root' }, ...pathItems(suspect.path)),
      actions,
    );
  }
}
