// The window "Explain attention here" reads: causal (text before the cursor first), bidirectional
// (centred, whole paragraphs), a selection inside it, document edges; counted with a simple word
// tokenizer where the arithmetic must be exact, and with the bundled model's real tokenizer.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Span, WindowInput, chooseWindow, paragraphs } from '../../src/run/contextWindow';
import { TextTokenizer } from '../../src/tokenizers/tokenize';

/** One token per run of letters/digits, per punctuation mark, and per run of whitespace. */
const words = (text: string): Span[] => [...text.matchAll(/\w+|[^\w\s]|\s+/g)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));

const ROOT = path.resolve(__dirname, '../../..');
const real = new TextTokenizer(JSON.parse(fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8')));
const realTokens = (text: string): Span[] => real.encode(text);

function pick(text: string, anchorText: string, over: Partial<WindowInput> = {}, at = text.indexOf(anchorText)): { start: number; end: number; window: string; tokenCount: number } {
  assert.ok(at >= 0, `no "${anchorText}"`);
  const anchor = over.anchor ?? { start: at, end: at + anchorText.length };
  const c = chooseWindow({ text, anchor, architecture: 'causal', budget: 100, tokens: words, ...over });
  assert.strictEqual(c.kind, 'window', c.kind === 'none' ? c.message : '');
  if (c.kind !== 'window') throw new Error('unreachable');
  return { start: c.start, end: c.end, window: text.slice(c.start, c.end), tokenCount: c.tokenCount };
}

const cursorAt = (text: string, s: string, into = 1): Span => {
  const i = text.indexOf(s);
  return { start: i + into, end: i + into };
};

const STORY = 'Tom fixed the old radio in the shed.\n\nBy morning he had it playing again, and the music filled the yard.';

describe('context window: paragraphs', () => {
  it('finds runs of non-blank lines, with CRLF and whitespace-only lines as separators', () => {
    const t = 'a b\r\nc\r\n  \r\n\r\nd\n\t\ne f';
    assert.deepStrictEqual(paragraphs(t).map((p) => t.slice(p.start, p.end)), ['a b\r\nc', 'd', 'e f']);
    assert.deepStrictEqual(paragraphs(''), []);
    assert.deepStrictEqual(paragraphs('\n\n'), []);
  });
});

describe('context window: causal model', () => {
  it('reads the paragraph before the cursor\'s (the antecedent of a pronoun) when it fits', () => {
    const w = pick(STORY, 'he', { anchor: cursorAt(STORY, ' he ', 2) });
    assert.strictEqual(w.window, STORY);
  });

  it('with a selected word: the same window, and the selection stays inside it', () => {
    const w = pick(STORY, ' he ', { anchor: { start: STORY.indexOf(' he ') + 1, end: STORY.indexOf(' he ') + 3 } });
    assert.strictEqual(w.window, STORY);
  });

  it('spends the budget on text before the cursor: earlier paragraphs first, then a cut inside one', () => {
    const paras = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} has seven words in it.`);
    const text = paras.join('\n\n');
    // Each paragraph is 14 word-tokens; the separators 1 token each.
    const anchor = cursorAt(text, 'Paragraph 5', 0);
    const w = pick(text, '', { anchor, budget: 80 });
    assert.ok(w.end === text.length, 'the cursor\'s paragraph is read to its end');
    // Paragraphs 1-5 whole: 5 × 14 tokens + 4 separators = 74; the 6 left take the end of paragraph 0
    // (" in it.⏎⏎"), less its leading space.
    assert.strictEqual(w.tokenCount, 79);
    assert.ok(w.window.includes('Paragraph 1') && !w.window.includes('Paragraph 0'), w.window);
    assert.ok(w.window.startsWith('in it.\n\nParagraph 1'), w.window);
    // Where it is cut: exactly the last tokens that fit, starting on a token.
    assert.strictEqual(words(w.window).length, w.tokenCount);
    assert.ok(!/^\s/.test(w.window), 'the window does not start with whitespace');
  });

  it('keeps at most a quarter of the budget for the rest of the paragraph after the cursor', () => {
    const long = `${'word '.repeat(200)}end.`;
    const text = `Before the cursor there is this.\n\nHere ${long}`;
    const w = pick(text, 'Here', { anchor: cursorAt(text, 'Here', 0), budget: 40 });
    const after = words(text.slice(text.indexOf('Here'), w.end)).length;
    assert.ok(after <= 10, `${after} tokens from the cursor on`);
    assert.ok(w.window.startsWith('Before'), 'the earlier paragraph fits and is read');
  });

  it('at the document\'s start and end: nothing before, nothing after', () => {
    const text = 'Only one line here.';
    assert.strictEqual(pick(text, 'one').window, text);
    const first = pick(STORY, 'Tom', { anchor: cursorAt(STORY, 'Tom', 0) });
    assert.strictEqual(first.window, STORY.slice(0, STORY.indexOf('\n')), 'the cursor\'s paragraph is the first: nothing later is read');
    const last = pick(STORY, 'yard', { anchor: cursorAt(STORY, 'yard.', 5) });
    assert.strictEqual(last.end, STORY.length);
  });

  it('a selection longer than the budget keeps its end (what the causal model reads last)', () => {
    const text = 'a b c d e f g h i j';
    const w = pick(text, text, { budget: 5 });
    assert.strictEqual(w.window, 'h i j');
  });

  it('a cursor on a blank line has nothing to explain', () => {
    const c = chooseWindow({ text: STORY, anchor: cursorAt(STORY, '\n\n', 1), architecture: 'causal', budget: 50, tokens: words });
    assert.strictEqual(c.kind, 'none');
    if (c.kind === 'none') assert.match(c.message, /empty line/);
  });
});

describe('context window: bidirectional model', () => {
  const paras = Array.from({ length: 9 }, (_, i) => `P${i} a b c.`);
  const text = paras.join('\n\n');
  // Each paragraph is 8 word-tokens (P4, space, a, space, b, space, c, .), separators 1.

  it('grows by whole paragraphs on both sides, centred on the cursor', () => {
    const w = pick(text, '', { anchor: cursorAt(text, 'P4', 0), architecture: 'bidirectional', budget: 30 });
    assert.strictEqual(w.window, paras.slice(3, 6).join('\n\n'));
    assert.strictEqual(w.tokenCount, 26);
  });

  it('keeps growing on the side that has room at the document\'s edge', () => {
    const w = pick(text, '', { anchor: cursorAt(text, 'P0', 0), architecture: 'bidirectional', budget: 30 });
    assert.strictEqual(w.window, paras.slice(0, 3).join('\n\n'));
  });

  it('a paragraph longer than the budget: a token window centred on the cursor', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const w = pick(long, 'w50', { architecture: 'bidirectional', budget: 21 });
    assert.strictEqual(w.tokenCount, 21);
    assert.ok(w.window.includes('w50'));
    const before = w.window.slice(0, w.window.indexOf('w50'));
    const after = w.window.slice(w.window.indexOf('w50') + 3);
    assert.ok(Math.abs(words(before).length - words(after).length) <= 1, `${before} | ${after}`);
  });

  it('a selection of several words stays whole inside the window', () => {
    const w = pick(text, 'P4 a b', { architecture: 'bidirectional', budget: 12 });
    assert.ok(w.window.includes('P4 a b'));
  });
});

describe('context window: the bundled model\'s tokenizer', () => {
  it('the window\'s real token count is within the budget and the pronoun reads its antecedent', () => {
    const anchor = { start: STORY.indexOf(' he ') + 1, end: STORY.indexOf(' he ') + 3 };
    const c = chooseWindow({ text: STORY, anchor, architecture: 'causal', budget: 511, tokens: realTokens });
    assert.strictEqual(c.kind, 'window');
    if (c.kind !== 'window') return;
    assert.strictEqual(STORY.slice(c.start, c.end), STORY);
    assert.strictEqual(c.tokenCount, real.encode(STORY).length);
  });

  it('a long document: exactly within the budget, cut before the cursor, the cursor\'s paragraph kept', () => {
    const para = (i: number) => `Section ${i}. The committee met on Tuesday and agreed that the bridge needed repairs before winter.`;
    const text = Array.from({ length: 80 }, (_, i) => para(i)).join('\n\n');
    const at = text.indexOf('Section 60.');
    for (const budget of [128, 255, 511]) {
      const c = chooseWindow({ text, anchor: { start: at + 3, end: at + 3 }, architecture: 'causal', budget, tokens: realTokens });
      assert.strictEqual(c.kind, 'window');
      if (c.kind !== 'window') return;
      const n = real.encode(text.slice(c.start, c.end)).length;
      assert.strictEqual(n, c.tokenCount);
      assert.ok(n <= budget && n >= budget - 4, `budget ${budget}: ${n} tokens`);
      assert.strictEqual(c.end, at + para(60).length, 'the window ends at the cursor\'s paragraph\'s end');
      assert.ok(c.start < at);
    }
    const b = chooseWindow({ text, anchor: { start: at + 3, end: at + 3 }, architecture: 'bidirectional', budget: 255, tokens: realTokens });
    assert.strictEqual(b.kind, 'window');
    if (b.kind !== 'window') return;
    assert.ok(b.tokenCount <= 255);
    const w = text.slice(b.start, b.end);
    assert.ok(w.startsWith('Section') && w.endsWith('winter.'), 'whole paragraphs');
    const before = w.slice(0, w.indexOf('Section 60.')).split('Section').length - 1;
    const after = w.slice(w.indexOf('Section 60.')).split('Section').length - 2;
    assert.ok(Math.abs(before - after) <= 1, `${before} paragraphs before, ${after} after`);
  });
});
