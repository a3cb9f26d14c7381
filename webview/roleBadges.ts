// Role badges (what a head does, with its score in the tooltip) and the filter that picks the heads
// of one role ("show induction heads"), for the layers × heads grid and the head picker.
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { HeadLabel } from '../src/shared/headLabels';

// The select's elements are defined on first use, not at import: their styles read `navigator`, which
// Node (the unit tests of the grid's pure parts) does not have.
let elements: Promise<unknown> | undefined;
function defineElements(): void {
  elements ??= Promise.all([
    import('@vscode-elements/elements/dist/vscode-option/index.js'),
    import('@vscode-elements/elements/dist/vscode-single-select/index.js'),
  ]);
}

/** Badges for a head's labels: at most `max` shown, every label in the tooltip of the last. */
export function badges(labels: readonly HeadLabel[], max = 2): HTMLElement[] {
  return labels.slice(0, max).map((l, k) => {
    const b = document.createElement('span');
    b.className = l.source === 'config' ? 'badge named' : 'badge';
    if (l.trained) b.classList.add('trained');
    b.dataset.role = l.kind;
    b.textContent = l.trained ? `${l.short}★` : l.short;
    const more = k === max - 1 && labels.length > max ? `\nalso: ${labels.slice(max).map((x) => x.title).join('\n')}` : '';
    b.title = l.title + more;
    return b;
  });
}

/** The text of a head's labels for a screen reader or tooltip. */
export function labelsText(labels: readonly HeadLabel[]): string {
  return labels.map((l) => l.title).join('\n');
}

/** A select: "All heads" or one role / named kind present in the model. */
export class RoleFilter {
  readonly el: HTMLElement;
  private readonly select: VscodeSingleSelect;
  private readonly source: HTMLElement;
  private kinds = '';
  value: string | null = null;

  constructor(private readonly changed: (kind: string | null) => void) {
    defineElements();
    this.el = document.createElement('div');
    this.el.className = 'role-filter';
    const label = document.createElement('label');
    label.textContent = 'Show';
    label.id = 'role-filter-label';
    this.select = document.createElement('vscode-single-select');
    this.select.setAttribute('aria-labelledby', 'role-filter-label');
    this.select.className = 'role-select';
    this.select.addEventListener('change', () => {
      const v = this.select.value;
      this.value = v === '' ? null : v;
      this.changed(this.value);
    });
    this.source = document.createElement('span');
    this.source.className = 'role-source';
    this.el.append(label, this.select, this.source);
  }

  /** Says where the roles come from: the probe (cached for this model) or this text alone. */
  setSource(probed: boolean): void {
    this.source.dataset.source = probed ? 'probe' : 'text';
    this.source.textContent = probed
      ? 'Roles from the probe input (cached for this model) and this text.'
      : 'Roles from this text. Run "Attention Lens: Probe heads" to find induction and duplicate-token heads.';
  }

  /** Offers the kinds present in `labels` (per layer, per head), with how many heads each has. */
  setLabels(labels: readonly (readonly (readonly HeadLabel[])[])[]): void {
    const count = new Map<string, { label: string; n: number }>();
    for (const row of labels) {
      for (const ls of row) {
        for (const l of ls) {
          const c = count.get(l.kind) ?? { label: l.source === 'config' ? `${l.kind} head` : l.label, n: 0 };
          c.n++;
          count.set(l.kind, c);
        }
      }
    }
    const key = JSON.stringify([...count.entries()]);
    if (key === this.kinds) return;
    this.kinds = key;
    if (this.value !== null && !count.has(this.value)) this.value = null;
    const all = document.createElement('vscode-option');
    all.value = '';
    all.textContent = 'All heads';
    const options = [all, ...[...count.entries()].map(([kind, c]) => {
      const o = document.createElement('vscode-option');
      o.value = kind;
      o.textContent = `${c.label} heads (${c.n})`;
      return o;
    })];
    this.select.replaceChildren(...options);
    this.select.value = this.value ?? '';
  }

  /** Picks a kind (null: all heads), as a user would. */
  pick(kind: string | null): void {
    this.value = kind;
    this.select.value = kind ?? '';
    this.changed(kind);
  }
}
