// The protocol's fields and messages for words and head roles: accepted when well formed,
// refused with a message naming the field when not.
import * as assert from 'assert';
import type { RoleScores } from '../../src/shared/headRoles';
import { parseToHost, parseToWebview } from '../../src/shared/protocol';

const tok = (id: number, special = false) => ({ id, text: special ? '' : `t${id}`, start: 0, end: 0, special });
const run = {
  type: 'run', runId: 1, source: { fileName: 'a.md', languageId: 'markdown' }, tokens: [tok(0, true), tok(5), tok(6)],
  truncation: null, focus: 2, explain: true,
};
const scores: RoleScores = { previous: 0.9, self: 0.01, sink: 0.05, duplicate: null, induction: 0.02, local: 0.1, broad: 0.2, delimiter: null };

describe('protocol: words and head roles', () => {
  it('a run may carry one word id per token, or none', () => {
    assert.deepStrictEqual(parseToWebview({ ...run, wordIds: [0, 1, 1] }), { ...run, wordIds: [0, 1, 1] });
    assert.deepStrictEqual(parseToWebview(run), run);
    assert.throws(() => parseToWebview({ ...run, wordIds: [0, 1] }), /wordIds has 2 ids for 3 tokens/);
    assert.throws(() => parseToWebview({ ...run, wordIds: [0, 1, 'x'] }), /wordIds\[2\] must be an integer/);
  });

  it('a highlight may name word spans of tokens', () => {
    const h = { type: 'highlight', runId: 1, tokenIndex: 3, tokenEnd: 5, direction: 'from', targets: [{ index: 1, end: 3, weight: 0.5 }, { index: 0, weight: 0.2 }] };
    assert.deepStrictEqual(parseToHost(h), h);
    assert.throws(() => parseToHost({ ...h, tokenEnd: 'x' }), /tokenEnd must be an integer/);
  });

  it('probe, headRoles and probeResult messages', () => {
    const probe = { type: 'probe', probeId: 4, tokens: [tok(0, true), tok(9), tok(9)] };
    assert.deepStrictEqual(parseToWebview(probe), probe);
    const roles = { type: 'headRoles', probe: [[scores, scores]] };
    assert.deepStrictEqual(parseToWebview(roles), roles);
    assert.deepStrictEqual(parseToWebview({ type: 'headRoles', probe: null }), { type: 'headRoles', probe: null });
    const result = { type: 'probeResult', probeId: 4, scores: [[scores]], error: null };
    assert.deepStrictEqual(parseToHost(result), result);
    const failed = { type: 'probeResult', probeId: 4, scores: null, error: 'the model failed' };
    assert.deepStrictEqual(parseToHost(failed), failed);
    assert.throws(() => parseToHost({ ...result, scores: [[{ ...scores, induction: 'high' }]] }), /scores\[0\]\[0\]\.induction must be a finite number/);
    assert.throws(() => parseToHost({ ...result, scores: [[{ ...scores, self: undefined }]] }), /self must be a finite number/);
    assert.throws(() => parseToWebview({ type: 'headRoles', probe: [scores] }), /probe\[0\] must be an array/);
  });
});
