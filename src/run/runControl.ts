// Run control: a command becomes a run (model loaded, text picked and tokenized, earlier runs
// cancelled, the run sent to the panel); the newest request wins. Holds the current run.
import * as vscode from 'vscode';
import type { Highlighter } from '../editor/decorations';
import { pickContext } from './contextPick';
import { PickedText, documentFileName, pickText } from '../editor/editorText';
import type { LoadedModel } from '../models/modelFolder';
import type { ModelManager } from '../models/modelManager';
import type { Notifier } from '../notifier';
import type { PanelConnection } from '../panel/panelConnection';
import { RunKind, RunRecord, RunRequest } from './runRecord';
import { RunLedger } from './runs';
import type { ExplanationMessage, ResultMessage, RunMessage } from '../shared/protocol';
import { editorOffset } from './textSelection';
import { tokenizeForModel } from '../tokenizers/tokenize';
import { tokensOverlapping } from './contextWindow';
import type { WindowMarker } from '../editor/windowMarker';
import { DEFAULT_ATTENTION_BUDGET_MB, tokenLimit } from '../models/budget';

export interface RunControlDeps {
  log: vscode.OutputChannel;
  notifier: Notifier;
  models: ModelManager;
  link: PanelConnection;
  highlighter: Highlighter;
  marker: WindowMarker;
}

export class RunControl {
  readonly ledger = new RunLedger();
  current: RunRecord | null = null;
  lastResult: ResultMessage | undefined;
  lastExplanation: ExplanationMessage | undefined;
  runsStarted = 0;
  cancelsSent = 0;
  lastEditorDocument: vscode.TextDocument | undefined = vscode.window.activeTextEditor?.document;
  private requests = 0;

  constructor(private readonly deps: RunControlDeps) {}

  /** "Explain attention here" (kind explain) and "Show attention for selection" (kind selection). */
  async runCommand(kind: RunKind, editor = this.targetEditor()): Promise<number | undefined> {
    const { notifier } = this.deps;
    const request = ++this.requests;
    if (!editor) {
      notifier.tell('warning', 'Attention Lens: open a file and select some text first.');
      return undefined;
    }
    let loaded: LoadedModel;
    try {
      // The text decides between the bundled encoder (prose) and decoder (code); it is picked
      // again below, after the load, so that edits made meanwhile count.
      const hint = pickText(editor, undefined);
      loaded = await this.deps.models.load(editor.document, 'text' in hint ? hint.text : '');
    } catch (e) {
      notifier.fail(`Attention Lens cannot load its bundled model: ${(e as Error).message}`);
      return undefined;
    }
    // A later command came in while the model loaded: it wins.
    if (request !== this.requests) return undefined;
    const picked = (kind === 'explain' ? this.explainContext(editor, loaded) : null) ?? pickText(editor, undefined);
    if ('problem' in picked) {
      notifier.tell('warning', `Attention Lens: ${picked.problem}`);
      return undefined;
    }
    return this.execute({ kind, document: editor.document, version: editor.document.version, picked }, loaded);
  }

  /**
   * Explain's text: the window the model reads around the cursor (or the selection), as many
   * tokens as the run may take, counted with the model's own tokenizer. Null: pick as before.
   */
  private explainContext(editor: vscode.TextEditor, loaded: LoadedModel): PickedText | { problem: string } | null {
    const { model } = loaded;
    try {
      // The special tokens the model adds (bos, [CLS] … [SEP]) take part of the limit.
      const added = tokenizeForModel(model.tokenizer, 'a', model.config, model.config.max_tokens, null).tokens.length
        - model.tokenizer.encode('a').length;
      const budget = this.limitFor(editor.document, loaded).tokens - added;
      return pickContext(editor, model.config.architecture, budget, (t) => model.tokenizer.encode(t));
    } catch (e) {
      // Text the tokenizer cannot map: the run below reports it.
      this.deps.log.appendLine(`[context] ${(e as Error).message}`);
      return null;
    }
  }

  private limitFor(document: vscode.TextDocument, loaded: LoadedModel): ReturnType<typeof tokenLimit> {
    const { config } = loaded.model;
    const settings = vscode.workspace.getConfiguration('attentionLens', document.uri);
    return tokenLimit({
      setting: settings.get<number>('maxTokens', config.max_tokens),
      model: config.max_tokens,
      layers: config.num_layers,
      heads: config.num_heads,
      budgetMB: settings.get<number>('attentionMemoryMB', DEFAULT_ATTENTION_BUDGET_MB),
    });
  }

  /**
   * The editor a command acts on. With the panel focused there is no active text editor: then the
   * editor of the current run, or the one most recently active.
   */
  targetEditor(): vscode.TextEditor | undefined {
    // The Output panel is a text editor too, but never what the user means.
    const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
    const active = vscode.window.activeTextEditor;
    return (active && active.document.uri.scheme !== 'output' ? active : undefined)
      ?? visible.find((e) => e.document === this.current?.request.document)
      ?? visible.find((e) => e.document === this.lastEditorDocument)
      ?? visible[0];
  }

  /** Pins a token of the current run in the panel, as hovering it there would (used by tests). */
  async pinToken(tokenIndex: number | null): Promise<boolean> {
    const run = this.current;
    const { link } = this.deps;
    if (!run || !link.panel || !link.ready) return false;
    if (tokenIndex !== null && (!Number.isInteger(tokenIndex) || tokenIndex < 0 || tokenIndex >= run.message.tokens.length)) return false;
    run.pinned = tokenIndex;
    return link.post({ type: 'pin', runId: run.message.runId, tokenIndex });
  }

  private execute(req: RunRequest, loaded: LoadedModel): number | undefined {
    const { notifier, link, log } = this.deps;
    const { model } = loaded;
    const limit = this.limitFor(req.document, loaded);
    const maxTokens = limit.tokens;
    let input;
    try {
      input = tokenizeForModel(model.tokenizer, req.picked.text, model.config, maxTokens, req.picked.cursor);
    } catch (e) {
      notifier.fail(`Attention Lens cannot tokenize this text: ${(e as Error).message}`);
      return undefined;
    }
    const { runId, cancel } = this.ledger.start();
    this.runsStarted++;
    if (link.ready) {
      for (const c of cancel) {
        this.cancelsSent++;
        void link.post({ type: 'cancel', runId: c });
      }
    }
    // The panel says why the window is smaller than the setting asks for.
    if (input.truncation && limit.reason) input.truncation.reason = limit.reason;
    // A selected word or several, inside Explain's wider window: its tokens are pinned together.
    const span = req.kind === 'explain' && req.picked.focusSpan ? tokensOverlapping(input.tokens, req.picked.focusSpan) : null;
    const focus = req.kind === 'explain' ? span?.first ?? input.focus : null;
    if (req.kind === 'explain' && focus === null) {
      notifier.tell('warning', 'Attention Lens: there is no token at the cursor to explain; showing the whole text.');
    }
    const doc = req.document;
    const base = req.picked.baseOffset;
    const text = req.picked.text;
    const at = (offset: number): vscode.Position => doc.positionAt(base + editorOffset(text, offset));
    const analysed = new vscode.Range(at(input.truncation?.keptStart ?? 0), at(input.truncation?.keptEnd ?? text.length));
    const lineColumn = (p: vscode.Position) => ({ line: p.line + 1, column: p.character + 1 });
    // The memory budget, not maxTokens or the model, cut the text the run reads: the panel says so.
    const docEnd = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    const cutByBudget = limit.reason !== null && (doc.offsetAt(analysed.start) > 0 || doc.offsetAt(analysed.end) < docEnd);
    const message: RunMessage = {
      type: 'run',
      runId,
      source: { fileName: documentFileName(req.document), languageId: req.document.languageId },
      tokens: input.tokens,
      wordIds: input.wordIds,
      truncation: input.truncation,
      focus,
      explain: req.kind === 'explain' && focus !== null,
      window: {
        start: lineColumn(analysed.start),
        end: lineColumn(analysed.end),
        reads: req.picked.reads ?? 'selection',
        ...(cutByBudget && limit.reason ? { limitedBy: limit.reason } : {}),
      },
      ...(span && focus === span.first && span.end - span.first > 1 ? { focusEnd: span.end } : {}),
    };
    const ranges = input.tokens.map((t) => new vscode.Range(at(t.start), at(t.end)));
    this.current = {
      request: req, message, ranges, stale: false, pinned: focus, explanationShown: false,
      explanations: new Map(), highlight: null,
    };
    this.lastResult = undefined;
    this.lastExplanation = undefined;
    this.deps.highlighter.clear();
    this.deps.marker.show(doc, analysed);
    log.appendLine(`[run ${runId}] ${req.kind} in ${doc.fileName}: ${input.tokens.length} tokens${input.truncation ? ` (cut from ${input.truncation.totalTokens})` : ''}, model ${model.config.name}`);

    link.ensure(loaded);
    if (link.ready) void link.post(message);

    if (req.picked.notice) notifier.tell('info', `Attention Lens: ${req.picked.notice}`);
    if (input.truncation) {
      const t = input.truncation;
      const from = doc.positionAt(base + t.keptStart).line + 1;
      const to = doc.positionAt(base + t.keptEnd).line + 1;
      const kept = input.tokens.length - (model.config.prepend_bos ? 1 : 0);
      notifier.tell(
        'info',
        `Attention Lens: the text has ${t.totalTokens} tokens and the limit is ${maxTokens}${limit.reason ? ` (${limit.reason})` : ''}; analysing the ${kept} tokens around the cursor (lines ${from}–${to}).`,
      );
    }
    return runId;
  }

  /** With the panel open, runs the last request again (model or settings changed). */
  rerunLast(): void {
    const req = this.current?.request;
    if (!this.deps.link.panel || !req) return;
    if (req.document.isClosed || req.document.version !== req.version) return;
    const request = ++this.requests;
    this.deps.models.load(req.document, req.picked.text).then(
      (loaded) => {
        if (request === this.requests) this.execute(req, loaded);
      },
      (e: Error) => this.deps.notifier.fail(`Attention Lens cannot load its bundled model: ${e.message}`),
    );
  }
}
