// The compare messages cross the webview boundary like every other: checked on arrival.
import * as assert from 'assert';
import { CompareMessage, ComparisonMessage, MAX_VARIANTS, parseToHost, parseToWebview } from '../../src/shared/protocol';
import { ValidationError } from '../../src/shared/validate';

const tok = (id: number, start: number, end: number, text: string) => ({ id, text, start, end, special: false });
const compareMsg: CompareMessage = {
  type: 'compare', runId: 4, source: { fileName: 'story.md', languageId: 'markdown' },
  base: { label: 'base', text: 'too tired', tokens: [tok(1, 0, 3, 'too'), tok(2, 3, 9, ' tired')], wordIds: [0, 1] },
  variants: [{ label: 'tired → wide', text: 'too wide', tokens: [tok(1, 0, 3, 'too'), tok(3, 3, 8, ' wide')], wordIds: [0, 1] }],
  truncation: null, focus: 1,
};
const comparison: ComparisonMessage = {
  type: 'comparison', runId: 4, tokenIndex: 1, unit: 'word', labels: ['base', 'tired → wide'], view: 'layer 1, head 2',
  rows: [{ label: 'too', edited: false, weights: [0.4, 0.1] }], summaries: ['it: too 40% → 10%; no head flips'], lines: ['…'],
  beforeEdit: false, problem: null,
};
const refuses = (f: () => unknown, why: RegExp) => assert.throws(f, (e: Error) => e instanceof ValidationError && why.test(e.message));

describe('protocol: compare and comparison', () => {
  it('accepts valid messages, word ids optional', () => {
    assert.deepStrictEqual(parseToWebview(compareMsg), compareMsg);
    const noWords = { ...compareMsg, base: { ...compareMsg.base, wordIds: undefined } };
    assert.strictEqual((parseToWebview(noWords) as CompareMessage).base.wordIds, undefined);
    assert.deepStrictEqual(parseToHost(comparison), comparison);
  });
  it('refuses what does not fit, saying where', () => {
    refuses(() => parseToWebview({ ...compareMsg, variants: [] }), /compare\.variants must not be empty/);
    refuses(() => parseToWebview({ ...compareMsg, variants: Array(MAX_VARIANTS + 1).fill(compareMsg.variants[0]) }), /more than 8/);
    refuses(() => parseToWebview({ ...compareMsg, base: { ...compareMsg.base, wordIds: [0] } }), /compare\.base\.wordIds has 1 ids for 2 tokens/);
    refuses(() => parseToHost({ ...comparison, unit: 'char' }), /comparison\.unit must be one of token, word/);
    refuses(() => parseToHost({ ...comparison, rows: [{ label: 'x', edited: false, weights: [NaN] }] }), /weights\[0\] must be a finite number/);
  });
});
