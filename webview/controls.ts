// The controls (vscode-elements): layer, mode, heads (one colour each), direction, exports.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeRadio } from '@vscode-elements/elements/dist/vscode-radio/vscode-radio.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { HeadLabel } from '../src/shared/headLabels';
import type { ExportFormat } from '../src/shared/protocol';
import { headVar } from './colors';
import { badges, labelsText } from './roleBadges';
import type { UnitKind } from './units';
import { MODES, Mode, ViewState } from './viewState';

export interface ControlEvents {
  change(next: ViewState): void;
  export(format: ExportFormat): void;
  /** The tokens / words switch was flipped. */
  unit?(unit: UnitKind): void;
}

export class Controls {
  readonly el: HTMLElement;
  private layerSelect!: VscodeSingleSelect;
  private radios: VscodeRadio[] = [];
  private headBoxes: VscodeCheckbox[] = [];
  private flip!: VscodeCheckbox;
  private unitBox: VscodeCheckbox | null = null;
  private readonly headRow: HTMLElement;
  private view: ViewState | null = null;
  private layers = 0;

  constructor(private readonly events: ControlEvents) {
    this.el = document.createElement('div');
    this.el.className = 'controls';
    this.headRow = document.createElement('div');
    this.headRow.className = 'heads';
    this.headRow.setAttribute('role', 'group');
    this.headRow.setAttribute('aria-label', 'Heads');
  }

  /** Builds the controls for a model shape; keeps them when the shape is the same. */
  setModel(layers: number, heads: number): void {
    if (this.layers === layers && this.headBoxes.length === heads) return;
    this.layers = layers;
    const row1 = document.createElement('div');
    row1.className = 'row';

    const layerLabel = document.createElement('label');
    layerLabel.textContent = 'Layer';
    layerLabel.id = 'layer-label';
    this.layerSelect = document.createElement('vscode-single-select');
    this.layerSelect.setAttribute('aria-labelledby', 'layer-label');
    this.layerSelect.className = 'layer';
    for (let l = 0; l < layers; l++) {
      const o = document.createElement('vscode-option');
      o.value = String(l);
      o.textContent = `${l + 1}`;
      this.layerSelect.appendChild(o);
    }
    this.layerSelect.addEventListener('change', () => {
      const layer = Number(this.layerSelect.value);
      if (this.view && Number.isInteger(layer) && layer !== this.view.layer) this.emit({ ...this.view, layer });
    });

    const group = document.createElement('vscode-radio-group');
    group.setAttribute('aria-label', 'How heads are combined');
    this.radios = MODES.map(({ mode, label }) => {
      const r = document.createElement('vscode-radio');
      r.name = 'mode';
      r.value = mode;
      r.label = label;
      r.dataset.mode = mode;
      r.addEventListener('change', () => {
        if (r.checked && this.view && this.view.mode !== mode) this.emit({ ...this.view, mode: mode as Mode });
      });
      group.appendChild(r);
      return r;
    });

    this.flip = document.createElement('vscode-checkbox');
    this.flip.label = 'What attends to the token';
    this.flip.toggle = true;
    this.flip.className = 'flip';
    this.flip.addEventListener('change', () => {
      if (this.view) this.emit({ ...this.view, direction: this.flip.checked ? 'to' : 'from' });
    });
    this.unitBox = document.createElement('vscode-checkbox');
    this.unitBox.label = 'Words';
    this.unitBox.toggle = true;
    this.unitBox.className = 'unit-switch';
    this.unitBox.addEventListener('change', () => this.events.unit?.(this.unitBox?.checked ? 'word' : 'token'));
    row1.append(layerLabel, this.layerSelect, group, this.flip, this.unitBox);

    this.headRow.replaceChildren();
    const headsLabel = document.createElement('span');
    headsLabel.textContent = 'Heads';
    this.headRow.appendChild(headsLabel);
    this.headBoxes = Array.from({ length: heads }, (_, h) => {
      const c = document.createElement('vscode-checkbox');
      c.className = 'head';
      c.dataset.head = String(h);
      c.style.setProperty('--head-color', `var(${headVar(h)})`);
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.setAttribute('aria-hidden', 'true');
      c.append(sw, document.createTextNode(`${h + 1}`));
      c.addEventListener('change', () => this.headToggled(h, c.checked));
      this.headRow.appendChild(c);
      return c;
    });

    const exports = document.createElement('div');
    exports.className = 'row exports';
    const formats: [ExportFormat, string][] = [['json', 'Export JSON'], ['png', 'PNG'], ['svg', 'SVG'], ['html', 'HTML']];
    for (const [format, label] of formats) {
      const b = document.createElement('vscode-button');
      b.setAttribute('secondary', '');
      b.dataset.export = format;
      b.textContent = label;
      b.addEventListener('click', () => this.events.export(format));
      exports.appendChild(b);
    }
    this.el.replaceChildren(row1, this.headRow, exports);
  }

  /** Shows a view without emitting changes. */
  show(v: ViewState): void {
    this.view = v;
    if (this.layerSelect) this.layerSelect.value = String(v.layer);
    for (const r of this.radios) r.checked = r.value === v.mode;
    this.flip.checked = v.direction === 'to';
    const single = v.mode === 'head';
    const rollout = v.mode === 'rollout';
    this.headBoxes.forEach((c, h) => {
      c.checked = single ? h === v.head : rollout || v.heads.includes(h);
      c.disabled = rollout;
    });
    this.headRow.title = rollout ? 'Rollout uses every head of every layer up to this one' : '';
  }

  /** The tokens / words switch: on for words; off and disabled when the run has no word ids. */
  showUnit(unit: UnitKind, available: boolean): void {
    if (!this.unitBox) return;
    this.unitBox.checked = unit === 'word';
    this.unitBox.disabled = !available;
    this.unitBox.title = available
      ? 'Words: attention to a word is the sum over its tokens, from a word the mean (Clark et al. 2019)'
      : 'This run has no word boundaries from the tokenizer: tokens only';
  }

  /** The shown layer's heads' role labels: a badge beside each head, every label in its tooltip. */
  setHeadLabels(labels: readonly (readonly HeadLabel[])[]): void {
    this.headBoxes.forEach((c, h) => {
      for (const old of Array.from(c.querySelectorAll('.badge'))) old.remove();
      const ls = labels[h] ?? [];
      c.append(...badges(ls, 1));
      c.title = ls.length ? `Head ${h + 1}:\n${labelsText(ls)}` : `Head ${h + 1}: no clear role`;
    });
  }

  private headToggled(h: number, checked: boolean): void {
    const v = this.view;
    if (!v) return;
    if (v.mode === 'head') {
      // one head at a time: a click moves the selection
      this.emit({ ...v, head: h });
      return;
    }
    const set = new Set(v.heads);
    if (checked) set.add(h);
    else set.delete(h);
    if (set.size === 0) {
      this.show(v); // keep at least one head
      return;
    }
    this.emit({ ...v, heads: [...set].sort((a, b) => a - b) });
  }

  private emit(v: ViewState): void {
    this.show(v);
    this.events.change(v);
  }
}
