// "Attention Lens: Compare with an edit": starts from the current run and compares it with
// variants of its text — a word replaced by what the user types (the document is never changed:
// the variants live in the panel), or, when the document was edited since the run, the text as it
// is now. Every version is tokenized for the same model and sent to the panel as one run.
import * as vscode from 'vscode';
import { DEFAULT_ATTENTION_BUDGET_MB, tokenLimit } from '../models/budget';
import type { HostParts } from '../hostParts';
import type { RunRecord } from '../run/runRecord';
import { editBetween, followChange, replaceSpan, wordAround } from '../shared/alignVariants';
import { splitReplacements } from '../shared/compare';
import { tokenLabel } from '../shared/explain';
import { CompareMessage, MAX_VARIANTS, RunMessage, TokenInfo, VariantInfo } from '../shared/protocol';
import { documentFileName } from '../editor/editorText';
import { editorOffset } from '../run/textSelection';
import { ModelInput, TextTokenizer, tokenAtOffset, tokenizeForModel } from '../tokenizers/tokenize';

import type { CommandTarget, CompareArgs } from './target';

export const COMPARE_WITH_EDIT = 'attentionLens.compareWithEdit';

/**
 * The argument: { replacements, tokenIndex, focus } from a test or keybinding, or the panel's
 * context menu ({ tokenIndex } from data-vscode-context); returns the comparison's run id.
 */
export function registerCompareWithEdit(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(COMPARE_WITH_EDIT, (arg: unknown) => target.compare(compareArgs(arg)));
}

export type CompareDeps = HostParts;

/** Reads the command's argument: from a test or keybinding (CompareArgs), or the panel's context menu ({ tokenIndex }). */
export function compareArgs(raw: unknown): CompareArgs {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const int = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);
  const list = Array.isArray(r.replacements) && r.replacements.every((x) => typeof x === 'string') ? (r.replacements as string[]) : undefined;
  return { replacements: list, tokenIndex: int(r.tokenIndex), focus: int(r.focus) };
}

export class CompareCommand {
  /** Where the current run's text is in its document, followed through edits since the run. */
  private tracked: { run: RunRecord; start: number; end: number } | null = null;

  constructor(private readonly d: CompareDeps) {}

  /** A document changed: follow the current run's text (call before the run is marked stale). */
  follow(e: vscode.TextDocumentChangeEvent): void {
    const run = this.d.runs.current;
    if (!run || run.request.document !== e.document) return;
    if (this.tracked?.run !== run) {
      // Only the first edit after a run starts from its own range; later, the range is unknown.
      if (run.stale) {
        this.tracked = null;
        return;
      }
      const start = run.request.picked.baseOffset;
      this.tracked = { run, start, end: start + run.request.picked.text.length };
    }
    // Changes of one event are offsets into the document before it: apply the last first.
    let r: { start: number; end: number } = this.tracked;
    for (const c of [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
      r = followChange(r, { offset: c.rangeOffset, length: c.rangeLength, text: c.text });
    }
    this.tracked = { run, start: r.start, end: r.end };
  }

  async run(args: CompareArgs = {}): Promise<number | undefined> {
    const { notifier } = this.d;
    const run = this.d.runs.current;
    if (!run) {
      notifier.tell('warning', 'Attention Lens: run "Explain attention here" first; Compare starts from the current run.');
      return undefined;
    }
    const doc = run.request.document;
    if (doc.isClosed) {
      notifier.tell('warning', 'Attention Lens: the document of the last run was closed; run "Explain attention here" again.');
      return undefined;
    }
    const baseText = run.request.picked.text;
    let variants: { label: string; text: string }[];
    let replaced: { start: number; end: number } | null = null;
    if (doc.version !== run.request.version) {
      const t = this.tracked;
      if (!t || t.run !== run) {
        notifier.tell('warning', 'Attention Lens: the last run\'s text cannot be found in the edited document; run "Explain attention here" again.');
        return undefined;
      }
      const now = doc.getText(new vscode.Range(doc.positionAt(t.start), doc.positionAt(t.end)));
      if (now === baseText) {
        notifier.tell('info', 'Attention Lens: the text is as it was at the last run; edit it, or run Compare on a word to type a replacement.');
        return undefined;
      }
      variants = [{ label: 'the document as edited', text: now }];
    } else {
      const word = this.wordToReplace(run, args.tokenIndex);
      if ('problem' in word) {
        notifier.tell('warning', `Attention Lens: ${word.problem}`);
        return undefined;
      }
      replaced = word;
      const original = baseText.slice(word.start, word.end);
      const replacements = args.replacements ? splitReplacements(args.replacements.join('|'), original) : await this.ask(original);
      if (!replacements || replacements.length === 0) return undefined;
      variants = replacements.slice(0, MAX_VARIANTS).map((r) => ({ label: `${original} → ${r}`, text: replaceSpan(baseText, word.start, word.end, r) }));
    }
    return this.start(run, variants, args.focus ?? chooseFocus(run, replaced));
  }

  /** The span of the base text to replace: the panel's token's word, the selection, or the word at the cursor. */
  private wordToReplace(run: RunRecord, tokenIndex: number | undefined): { start: number; end: number } | { problem: string } {
    const text = run.request.picked.text;
    const base = run.request.picked.baseOffset;
    if (tokenIndex !== undefined) {
      const t = run.message.tokens[tokenIndex];
      if (!t || t.special) return { problem: 'pick a token of the text (not a special token) to replace.' };
      return wordAround(text, t.start, t.end) ?? { problem: 'that token is only whitespace; pick a word to replace.' };
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === run.request.document);
    if (editor) {
      const doc = editor.document;
      const sel = editor.selection;
      const from = doc.offsetAt(sel.start) - base;
      const to = doc.offsetAt(sel.end) - base;
      if (from >= 0 && to <= text.length) {
        if (!sel.isEmpty) return { start: from, end: to };
        const w = doc.getWordRangeAtPosition(sel.active);
        const span = w ? { start: doc.offsetAt(w.start) - base, end: doc.offsetAt(w.end) - base } : wordAround(text, from, from);
        if (span && span.start >= 0 && span.end <= text.length) return span;
      }
    }
    return { problem: 'put the cursor on a word of the analysed text (or select the text to replace), or right-click a token in the panel.' };
  }

  private async ask(word: string): Promise<string[] | undefined> {
    const typed = await vscode.window.showInputBox({
      title: 'Attention Lens: Compare with an edit',
      prompt: `Replace "${word}" with… (several: separate them with |). The document is not changed.`,
      placeHolder: 'wide | narrow',
      validateInput: (v) => {
        const n = splitReplacements(v, word).length;
        if (n === 0) return `Type a replacement for "${word}".`;
        return n > MAX_VARIANTS ? `At most ${MAX_VARIANTS} replacements; the first ${MAX_VARIANTS} are used.` : null;
      },
    });
    return typed === undefined ? undefined : splitReplacements(typed, word);
  }

  private async start(run: RunRecord, variantTexts: { label: string; text: string }[], focusArg: number | null): Promise<number | undefined> {
    const { notifier, link, runs, log } = this.d;
    const req = run.request;
    let loaded;
    try {
      loaded = await this.d.models.load(req.document, req.picked.text);
    } catch (e) {
      notifier.fail(`Attention Lens cannot load its bundled model: ${(e as Error).message}`);
      return undefined;
    }
    if (runs.current !== run) return undefined; // a newer run started while the model loaded
    const { model } = loaded;
    const settings = vscode.workspace.getConfiguration('attentionLens', req.document.uri);
    // The same limit as the run's (the setting, the model's context, the attention memory budget).
    const maxTokens = tokenLimit({
      setting: settings.get<number>('maxTokens', model.config.max_tokens),
      model: model.config.max_tokens,
      layers: model.config.num_layers,
      heads: model.config.num_heads,
      budgetMB: settings.get<number>('attentionMemoryMB', DEFAULT_ATTENTION_BUDGET_MB),
    }).tokens;
    const baseText = req.picked.text;
    const oldFocus = focusArg;
    const focusOffset = oldFocus !== null && run.message.tokens[oldFocus] ? run.message.tokens[oldFocus].start : req.picked.cursor;
    let base;
    let variants: VariantInfo[];
    try {
      base = tokenizeForModel(model.tokenizer, baseText, model.config, maxTokens, focusOffset);
      variants = variantTexts.map((v) => {
        const input = inputFor(model.tokenizer, baseText, v.text, model.config, maxTokens, focusOffset);
        return { label: v.label, text: v.text, tokens: input.tokens, wordIds: input.wordIds };
      });
    } catch (e) {
      notifier.fail(`Attention Lens cannot tokenize the variants: ${(e as Error).message}`);
      return undefined;
    }
    const focus = sameTokens(base.tokens, run.message.tokens) && oldFocus !== null ? oldFocus : (oldFocus === null ? null : tokenAtOffset(base.tokens, focusOffset));

    const { runId, cancel } = runs.ledger.start();
    runs.runsStarted++;
    if (link.ready) {
      for (const c of cancel) {
        runs.cancelsSent++;
        void link.post({ type: 'cancel', runId: c });
      }
    }
    const source = { fileName: documentFileName(req.document), languageId: req.document.languageId };
    const compare: CompareMessage = {
      type: 'compare', runId, source, base: { label: 'base', text: baseText, tokens: base.tokens, wordIds: base.wordIds }, variants,
      truncation: base.truncation, focus,
    };
    const message: RunMessage = { type: 'run', runId, source, tokens: base.tokens, wordIds: base.wordIds, truncation: base.truncation, focus, explain: false };
    const doc = req.document;
    const at = (offset: number): vscode.Position => doc.positionAt(req.picked.baseOffset + editorOffset(baseText, offset));
    runs.current = {
      request: req, message, ranges: base.tokens.map((t) => new vscode.Range(at(t.start), at(t.end))),
      // Edited since the run: the base's ranges no longer hold in the document.
      stale: run.stale || doc.version !== req.version,
      pinned: focus, explanationShown: false, explanations: new Map(), highlight: null, compare,
    };
    if (this.tracked?.run === run) this.tracked = { ...this.tracked, run: runs.current as RunRecord };
    runs.lastResult = undefined;
    runs.lastExplanation = undefined;
    this.d.highlighter.clear();
    const name = focus === null ? 'no token' : `"${tokenLabel(base.tokens[focus], focus)}"`;
    log.appendLine(`[run ${runId}] compare ${name} in ${doc.fileName}: base ${base.tokens.length} tokens, ${variants.map((v) => `${v.label} (${v.tokens.length})`).join(', ')}, model ${model.config.name}`);
    link.ensure(loaded);
    if (link.ready) void link.post(compare);
    return runId;
  }
}

/**
 * The token to compare: the one pinned in the panel, else the run's focus — but not one inside
 * the word being replaced (putting the cursor on that word pins it; the user still means the token
 * explained before, "it" rather than "tired").
 */
function chooseFocus(run: RunRecord, replaced: { start: number; end: number } | null): number | null {
  const inside = (i: number | null): boolean => {
    const t = i === null ? undefined : run.message.tokens[i];
    return !!t && !!replaced && t.start < replaced.end && t.end > replaced.start;
  };
  for (const i of [run.pinned, run.message.focus]) if (i !== null && !inside(i)) return i;
  return null;
}

/** A variant's model input, windowed around the focus at its place in the variant (shifted past the edit). */
function inputFor(
  tok: TextTokenizer, baseText: string, text: string, config: Parameters<typeof tokenizeForModel>[2], maxTokens: number, focusOffset: number,
): ModelInput {
  const edit = editBetween(baseText, text);
  const at = edit && focusOffset >= edit.baseEnd ? focusOffset + edit.variantEnd - edit.baseEnd : focusOffset;
  return tokenizeForModel(tok, text, config, maxTokens, Math.min(at, text.length));
}

const sameTokens = (a: readonly TokenInfo[], b: readonly TokenInfo[]): boolean =>
  a.length === b.length && a.every((t, i) => t.id === b[i].id && t.start === b[i].start && t.end === b[i].end);
