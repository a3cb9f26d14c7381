// "Why": the explanation for the pinned token in words, and — for one head — the three steps that
// produce its attention row from the model's own queries and keys: Q·K, ÷√d_k, softmax.
import { attentionSteps, topTargets } from '../src/shared/attention';
import { Explanation, percent, tokenLabel } from '../src/shared/explain';
import type { RunData } from './runData';

const STEP_ROWS = 5;

export class ExplainPanel {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;
  private readonly steps: HTMLElement;

  constructor() {
    this.el = document.createElement('section');
    this.el.className = 'explain';
    this.el.setAttribute('aria-live', 'polite');
    this.title = document.createElement('h2');
    this.list = document.createElement('ul');
    this.steps = document.createElement('div');
    this.steps.className = 'steps';
    this.el.append(this.title, this.list, this.steps);
    this.clear();
  }

  clear(): void {
    this.title.textContent = 'Explanation';
    const hint = document.createElement('li');
    hint.textContent = 'Pin a token (click it, or Enter) to see what it attends to in words.';
    this.list.replaceChildren(hint);
    this.steps.replaceChildren();
  }

  show(run: RunData, e: Explanation): void {
    this.title.textContent = `Explanation: "${tokenLabel(run.tokens[e.focus], e.focus)}" → ${e.summary.split(' → ').slice(1).join(' → ')}`;
    this.list.replaceChildren(...e.lines.map((line) => {
      const li = document.createElement('li');
      li.textContent = line;
      return li;
    }));
  }

  /** The three steps for token `focus` in one head; hidden when the model has no queries/keys. */
  showSteps(run: RunData, layer: number, head: number, focus: number): void {
    const { queries, keys, headDim } = run.outputs;
    if (!queries || !keys || !headDim) {
      this.steps.replaceChildren();
      return;
    }
    const seq = run.stack.seq;
    const causal = run.config.architecture === 'causal';
    const s = attentionSteps(queries[layer], keys[layer], head, seq, headDim, focus, causal);
    const model = run.stack.layers[layer].subarray((head * seq + focus) * seq, (head * seq + focus + 1) * seq);
    const top = topTargets(s.weights, { k: STEP_ROWS });
    const cap = document.createElement('p');
    cap.textContent = `Three steps for "${tokenLabel(run.tokens[focus], focus)}" in layer ${layer + 1} head ${head + 1} (d_k = ${headDim}, √d_k = ${Math.sqrt(headDim).toFixed(3)}), from the model's queries and keys:`;
    const table = document.createElement('table');
    const head1 = document.createElement('tr');
    for (const h of ['key token', '1. q·k', `2. ÷ √d_k`, '3. softmax', 'model']) {
      const th = document.createElement('th');
      th.textContent = h;
      head1.appendChild(th);
    }
    table.appendChild(head1);
    for (const t of top) {
      const tr = document.createElement('tr');
      const cells = [
        tokenLabel(run.tokens[t.index], t.index),
        s.dots[t.index].toFixed(3),
        s.scaled[t.index].toFixed(3),
        percent(s.weights[t.index]),
        percent(model[t.index]),
      ];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.appendChild(td);
      }
      table.appendChild(tr);
    }
    this.steps.replaceChildren(cap, table);
  }
}
