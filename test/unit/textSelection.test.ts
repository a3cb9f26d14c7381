import * as assert from 'assert';
import { LineSource, blockAround, capAround, editorOffset, looksBinary, textProblem } from '../../src/run/textSelection';

/** A document of lines that counts how many lines were read. */
function doc(lines: string[] | ((i: number) => string), count?: number): LineSource & { reads: number } {
  const get = typeof lines === 'function' ? lines : (i: number) => lines[i];
  const d = {
    lineCount: typeof lines === 'function' ? (count as number) : lines.length,
    reads: 0,
    lineText(i: number): string {
      d.reads++;
      return get(i);
    },
  };
  return d;
}

describe('textSelection: the block around the cursor', () => {
  const lines = ['# title', '', 'The animal was tired.', 'It slept.', '  ', 'function f() {', '  return 1;', '}', ''];

  it('is the run of non-blank lines holding the cursor', () => {
    assert.deepStrictEqual(blockAround(doc(lines), 3), { kind: 'block', start: { line: 2, character: 0 }, end: { line: 3, character: 9 }, capped: false });
    assert.deepStrictEqual(blockAround(doc(lines), 6), { kind: 'block', start: { line: 5, character: 0 }, end: { line: 7, character: 1 }, capped: false });
  });

  it('treats whitespace-only lines as blank', () => {
    const b = blockAround(doc(lines), 5);
    assert.strictEqual(b.kind === 'block' && b.start.line, 5);
  });

  it('reaches the first and last line of the document', () => {
    const b = blockAround(doc(['a', 'b']), 1);
    assert.deepStrictEqual(b, { kind: 'block', start: { line: 0, character: 0 }, end: { line: 1, character: 1 }, capped: false });
  });

  it('says what to do when the cursor is on a blank line', () => {
    const b = blockAround(doc(lines), 1);
    assert.strictEqual(b.kind, 'none');
    assert.match(b.kind === 'none' ? b.message : '', /empty line: select some text/);
  });

  it('reads only the lines near the cursor of a 100,000-line file, and says it capped the block', () => {
    const d = doc((i) => `line ${i} with some words`, 100_000);
    const b = blockAround(d, 50_000, { maxBlockLines: 400, maxChars: 200_000 });
    assert.deepStrictEqual(b, { kind: 'block', start: { line: 49_600, character: 0 }, end: { line: 50_400, character: 'line 50400 with some words'.length }, capped: true });
    assert.ok(d.reads < 1000, `read ${d.reads} lines`);
  });
});

describe('textSelection: capping long text around the cursor', () => {
  it('keeps text that fits', () => assert.deepStrictEqual(capAround(10, 20, 15, 100), [10, 20]));
  it('centres the window on the cursor', () => assert.deepStrictEqual(capAround(0, 1000, 500, 100), [450, 550]));
  it('stays inside the text at either end', () => {
    assert.deepStrictEqual(capAround(0, 1000, 10, 100), [0, 100]);
    assert.deepStrictEqual(capAround(0, 1000, 999, 100), [900, 1000]);
    assert.deepStrictEqual(capAround(100, 1000, 0, 100), [100, 200]);
  });
});

describe('textSelection: text that cannot be analysed', () => {
  it('refuses empty and whitespace-only text', () => {
    assert.match(textProblem('') ?? '', /empty or only whitespace/);
    assert.match(textProblem(' \t\r\n  ') ?? '', /empty or only whitespace/);
  });

  it('refuses binary data: NUL bytes', () => {
    assert.match(textProblem('PK\u0003\u0004\0\0\0abc') ?? '', /binary data/);
  });

  it('refuses binary data: many control or replacement characters', () => {
    const junk = Array.from({ length: 200 }, (_, i) => String.fromCharCode(i % 2 ? 0x01 + (i % 7) : 0xfffd)).join('');
    assert.ok(looksBinary(`text ${junk}`));
  });

  it('accepts real text with tabs, CRLF, form feeds, ANSI escapes, emoji and CJK', () => {
    const text = 'def f():\r\n\treturn 1\f\n\u001b[31mred\u001b[0m 😀 猫 e\u0301';
    assert.strictEqual(textProblem(text), null);
    assert.strictEqual(looksBinary(text), false);
  });

  it('accepts text with a few stray control characters', () => {
    assert.strictEqual(looksBinary(`${'normal prose. '.repeat(20)}\u0007`), false);
  });
});

describe('textSelection: token boundaries in the editor', () => {
  it('leaves every boundary alone except one inside a CRLF', () => {
    const text = 'a\r\nb\nc\r';
    assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6, 7].map((o) => editorOffset(text, o)), [0, 1, 3, 3, 4, 5, 6, 7]);
  });
});
