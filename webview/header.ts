// The header: model, backend that ran (and why not WebGPU), tokens, timings, truncation, progress.
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { describeWindow } from '../src/shared/runWindow';
import type { RunData } from './runData';
import { threadsFact } from './runtime';

export class Header {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly modelLine: HTMLElement;
  private readonly facts: HTMLElement;
  private readonly notice: HTMLElement;
  /** Where the analysed text starts and ends in the document (line:column), and how it was chosen. */
  private readonly windowLine: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLElement;

  constructor() {
    this.el = document.createElement('header');
    this.title = document.createElement('h1');
    this.title.textContent = 'Attention Lens';
    this.modelLine = document.createElement('div');
    this.modelLine.className = 'model-facts';
    this.modelLine.hidden = true;
    this.facts = document.createElement('div');
    this.facts.className = 'facts';
    this.windowLine = document.createElement('div');
    this.windowLine.className = 'window';
    this.windowLine.hidden = true;
    this.notice = document.createElement('div');
    this.notice.className = 'notice';
    this.notice.hidden = true;
    this.status = document.createElement('div');
    this.status.className = 'status';
    this.status.setAttribute('role', 'status');
    this.progress = document.createElement('vscode-progress-bar');
    this.progress.setAttribute('indeterminate', '');
    this.progress.setAttribute('aria-label', 'Working');
    this.progress.hidden = true;
    this.el.append(this.title, this.modelLine, this.facts, this.windowLine, this.notice, this.progress, this.status);
  }

  /** The model's name in the title; its shape, kind and tokenizer (modelFacts) under it. */
  model(name: string, facts?: string): void {
    this.title.textContent = `Attention Lens — ${name}`;
    if (facts !== undefined) {
      this.modelLine.textContent = facts;
      this.modelLine.hidden = false;
    }
  }

  busy(text: string): void {
    this.progress.hidden = false;
    this.status.textContent = text;
    this.status.classList.remove('error');
  }

  idle(text = ''): void {
    this.progress.hidden = true;
    this.status.textContent = text;
    this.status.classList.remove('error');
  }

  error(text: string): void {
    this.progress.hidden = true;
    this.status.textContent = text;
    this.status.classList.add('error');
  }

  showRun(run: RunData): void {
    this.model(run.modelName);
    const backend = run.backend === 'webgpu' ? 'WebGPU' : 'WASM';
    const why = run.backendReason ? ` (not WebGPU: ${run.backendReason})` : run.backendNote ? ` (${run.backendNote})` : '';
    const count = run.tokens.length;
    const special = run.tokens.filter((t) => t.special).length;
    const facts = [
      `Backend: ${backend}${why}`,
      `${count} tokens${special ? ` (${special} special)` : ''}`,
      ...(run.threads !== undefined ? [threadsFact(run.threads)] : []),
      `inference ${run.inferenceMs.toFixed(1)} ms`,
      `model load ${run.loadMs.toFixed(0)} ms${run.modelFrom === 'cache' ? ' (from the panel\'s cache)' : ''}`,
      run.message.source.fileName,
    ];
    this.facts.replaceChildren(...facts.map((f) => {
      const s = document.createElement('span');
      s.textContent = f;
      return s;
    }));
    this.facts.dataset.backend = run.backend;
    const w = run.message.window;
    this.windowLine.hidden = !w;
    this.windowLine.textContent = w ? describeWindow(w) : '';
    const t = run.message.truncation;
    this.notice.hidden = !t;
    if (t) {
      this.notice.textContent = `The selection has ${t.totalTokens} tokens, more than ${t.reason ? 'fit' : 'the model takes'}; showing characters ${t.keptStart}–${t.keptEnd} of it.${t.reason ? ` Why: ${t.reason}.` : ''}`;
    }
  }
}
