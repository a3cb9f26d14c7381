// Head roles on synthetic attention: for each role a head built to do exactly that, which must
// score high on its role and stay under every other role's threshold; then labels, merging with
// the probe, named heads, and the probe input itself.
import * as assert from 'assert';
import { makeStack } from '../../src/shared/attention';
import { PROBE_HALF, probeScoresProblem, probeTokens } from '../../src/shared/headProbe';
import { citeRole, headLabels, mergeScores, namedHeadInfos, runRoles } from '../../src/shared/headLabels';
import {
  LOCAL_WINDOW, ROLES, ROLE_KINDS, RoleContext, RoleKind, RoleScores, isDelimiter, roleContext, scoreHead, scoreStack,
} from '../../src/shared/headRoles';
import type { TokenInfo } from '../../src/shared/protocol';

// <s>, then 20 tokens, then the same 20 again; every fifth token is a comma or a line break.
const HALF = 20;
const half: { id: number; text: string }[] = Array.from({ length: HALF }, (_, k) => (
  k % 5 === 4 ? { id: 500 + k, text: k % 10 === 4 ? ',' : '\n' } : { id: 100 + k, text: ` w${k}` }));
const tokens: TokenInfo[] = [
  { id: 0, text: '', start: 0, end: 0, special: true },
  ...[...half, ...half].map((t) => ({ ...t, start: 0, end: 0, special: false })),
];
const SEQ = tokens.length;
const ctx = roleContext(tokens, true);

/** A causal head: row i gets the weights `pick(i)` names (j → weight), normalised; nothing named → all on <s>. */
function head(pick: (i: number) => Map<number, number>): Float32Array {
  const m = new Float32Array(SEQ * SEQ);
  for (let i = 0; i < SEQ; i++) {
    const w = pick(i);
    let sum = 0;
    for (const [j, v] of w) if (j <= i) sum += v;
    if (sum === 0) {
      m[i * SEQ] = 1;
      continue;
    }
    for (const [j, v] of w) if (j <= i) m[i * SEQ + j] += v / sum;
  }
  return m;
}
const on = (...pairs: [number, number][]): Map<number, number> => new Map(pairs);
/** Position of the earlier occurrence of token i (second half), else null. */
const earlier = (i: number): number | null => (i > HALF ? i - HALF : null);
/** First-half rows of the repetition patterns: half on <s>, half on itself — no role of their own. */
const restless = (i: number): Map<number, number> => on([0, 0.5], [i, 0.5]);

const PATTERNS: Record<RoleKind, Float32Array> = {
  previous: head((i) => on([0, 0.1], [i - 1, 0.9])),
  self: head((i) => on([0, 0.1], [i, 0.9])),
  sink: head((i) => on([0, 0.95], [i, 0.05])),
  duplicate: head((i) => (earlier(i) === null ? restless(i) : on([0, 0.1], [earlier(i) as number, 0.9]))),
  induction: head((i) => (earlier(i) === null ? restless(i) : on([0, 0.1], [(earlier(i) as number) + 1, 0.9]))),
  local: head((i) => {
    const w = on([0, 0.1]);
    for (let j = Math.max(1, i - LOCAL_WINDOW); j <= i; j++) w.set(j, 0.9 / (i - Math.max(1, i - LOCAL_WINDOW) + 1));
    return w;
  }),
  broad: head((i) => new Map(Array.from({ length: i + 1 }, (_, j) => [j, 1] as [number, number]))),
  delimiter: head((i) => new Map(tokens.slice(1, i).flatMap((t, k) => (isDelimiter(t) ? [[k + 1, 1] as [number, number]] : [])))),
};

describe('head roles: each scorer on its own pattern and on the others', () => {
  for (const role of ROLE_KINDS) {
    it(`${ROLES[role].label}: high on its pattern, under every other threshold`, () => {
      const s = scoreHead(PATTERNS[role], ctx);
      assert.ok((s[role] as number) >= 0.7, `${role} scores ${s[role]} on its own pattern`);
      for (const other of ROLE_KINDS) {
        if (other === role) continue;
        const v = s[other];
        assert.ok(v === null || v < ROLES[other].threshold, `the ${role} pattern scores ${other} ${v} (threshold ${ROLES[other].threshold})`);
      }
      // and this role stays under its threshold on every other pattern
      for (const other of ROLE_KINDS) {
        if (other === role) continue;
        const v = scoreHead(PATTERNS[other], ctx)[role];
        assert.ok(v === null || v < ROLES[role].threshold, `${role} scores ${v} on the ${other} pattern`);
      }
    });
  }

  it('exact values on the clean patterns', () => {
    const near = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-6, `${a} ≠ ${b}`);
    near(scoreHead(PATTERNS.previous, ctx).previous, 0.9);
    near(scoreHead(PATTERNS.sink, ctx).sink, 0.95);
    near(scoreHead(PATTERNS.duplicate, ctx).duplicate, 0.9);
    near(scoreHead(PATTERNS.induction, ctx).induction, 0.9);
    near(scoreHead(PATTERNS.broad, ctx).broad, 1);
    near(scoreHead(PATTERNS.delimiter, ctx).delimiter, 1);
  });

  it('roles a text cannot show are null: no repeated token, no duplicate or induction; no punctuation, no delimiter', () => {
    const plain = tokens.slice(0, HALF + 1).map((t, i) => ({ ...t, text: ` w${i}` }));
    const c = roleContext(plain, true);
    const s = scoreHead(new Float32Array((HALF + 1) ** 2).fill(1 / (HALF + 1)), c);
    assert.strictEqual(s.duplicate, null);
    assert.strictEqual(s.induction, null);
    assert.strictEqual(s.delimiter, null);
  });

  it('a bidirectional head may look ahead: "previous" still means i − 1, broad is uniform over all', () => {
    const c = roleContext(tokens, false);
    const uniform = new Float32Array(SEQ * SEQ).fill(1 / SEQ);
    assert.ok(Math.abs((scoreHead(uniform, c).broad as number) - 1) < 1e-6);
    const next = new Float32Array(SEQ * SEQ);
    for (let i = 0; i < SEQ; i++) next[i * SEQ + Math.min(SEQ - 1, i + 1)] = 1;
    const s = scoreHead(next, c);
    assert.ok((s.previous as number) < 0.1 && (s.self as number) < 0.1);
  });

  it('scoreStack scores every layer and head; a wrong-sized matrix is refused', () => {
    const layer = new Float32Array(2 * SEQ * SEQ);
    layer.set(PATTERNS.previous, 0);
    layer.set(PATTERNS.induction, SEQ * SEQ);
    const scores = scoreStack(makeStack([layer], 2, SEQ), ctx);
    assert.strictEqual(scores.length, 1);
    assert.ok((scores[0][0].previous as number) > 0.8 && (scores[0][1].induction as number) > 0.8);
    assert.throws(() => scoreHead(new Float32Array(4), ctx), /expected 41×41/);
  });

  it('long runs are scored on at most 128 evenly spaced rows', () => {
    const long = Array.from({ length: 1000 }, (_, i) => ({ id: i, text: ` t${i}`, special: i === 0 }));
    const c: RoleContext = roleContext(long, true);
    assert.strictEqual(c.rows.length, 128);
    assert.ok(c.rows[0] >= 2 && c.rows[127] > 985);
  });
});

describe('head roles: labels', () => {
  const scores = (over: Partial<RoleScores>): RoleScores => ({
    previous: 0, self: 0, sink: 0, duplicate: null, induction: null, local: 0, broad: 0, delimiter: null, ...over,
  });
  const textOnly = mergeScores(scores({}), null).source;

  it('roles at or over their threshold, highest first, each with its score and meaning in the title', () => {
    const labels = headLabels(0, 0, scores({ previous: 0.62, sink: 0.91, self: 0.2 }), textOnly, []);
    assert.deepStrictEqual(labels.map((l) => l.label), ['start/sink', 'previous-token']);
    assert.strictEqual(labels[1].title, 'previous-token 0.62 on this text: share of attention on the token just before');
    assert.deepStrictEqual(headLabels(0, 0, scores({}), textOnly, []), []);
  });

  it('the config\'s named heads come first, marked trained where the config says so', () => {
    const named = namedHeadInfos({ heads: { pronoun: [2, 5], code: [3, 1] }, trained_heads: ['pronoun'] });
    assert.deepStrictEqual(named, [
      { kind: 'pronoun', layer: 2, head: 5, trained: true },
      { kind: 'code', layer: 3, head: 1, trained: false },
    ]);
    const labels = headLabels(2, 5, scores({ previous: 0.8 }), textOnly, named);
    assert.deepStrictEqual(labels.map((l) => l.label), ['pronoun head, trained', 'previous-token']);
    assert.strictEqual(labels[0].score, null);
    assert.match(labels[0].title, /named by the model's config\.json \(the model was trained to have it\)/);
    assert.deepStrictEqual(headLabels(3, 1, scores({}), textOnly, named).map((l) => l.label), ['code head']);
  });

  it('attention-lens.json\'s named heads join the config\'s (no duplicates)', () => {
    const named = namedHeadInfos({
      heads: { pronoun: [5, 1] },
      named_heads: [{ name: 'induction', layer: 5, head: 5 }, { name: 'pronoun', layer: 5, head: 1 }, { name: 'name mover', layer: 9, head: 9, trained: true }],
    });
    assert.deepStrictEqual(named.map((n) => `${n.kind}@${n.layer}.${n.head}${n.trained ? '*' : ''}`), ['pronoun@5.1', 'induction@5.5', 'name mover@9.9*']);
  });

  it('the probe\'s scores replace the text\'s where the probe measured them', () => {
    const text = scores({ previous: 0.7, duplicate: null, induction: null, delimiter: 0.5 });
    const probe = scores({ previous: 0.1, induction: 0.8, delimiter: null });
    const m = mergeScores(text, probe);
    assert.strictEqual(m.scores.previous, 0.1);
    assert.strictEqual(m.scores.induction, 0.8);
    assert.strictEqual(m.scores.delimiter, 0.5);
    assert.strictEqual(m.source.induction, 'probe');
    assert.strictEqual(m.source.delimiter, 'text');
    const labels = headLabels(0, 0, m.scores, m.source, []);
    assert.deepStrictEqual(labels.map((l) => l.label), ['induction', 'delimiter']);
    assert.match(labels[0].title, /^induction 0\.80 on the probe input: /);
  });

  it('runRoles labels every head; the explanation cites the first label, or the nearest role', () => {
    const text = [[scores({ previous: 0.8 }), scores({ broad: 0.41, sink: 0.3 })]];
    const probe = [[scores({ previous: 0.2, induction: 0.9 }), scores({ broad: 0.41, sink: 0.3 })]];
    const r = runRoles(text, probe, { heads: { pronoun: [0, 1] }, trained_heads: ['pronoun'] });
    assert.deepStrictEqual(r.labels.map((row) => row.map((ls) => ls.map((l) => l.label))), [[['induction'], ['pronoun head, trained']]]);
    assert.strictEqual(r.scores[0][0].previous, 0.2);
    assert.strictEqual(citeRole(r.labels[0][0], r.scores[0][0]), 'induction');
    assert.strictEqual(citeRole(r.labels[0][1], r.scores[0][1]), 'pronoun head, trained');
    assert.strictEqual(citeRole([], scores({ broad: 0.41, sink: 0.3 })), 'no clear role, nearest broad 0.41');
    assert.strictEqual(runRoles(text, null, {}).labels[0][0][0].label, 'previous-token');
  });

  it('delimiters: punctuation-only tokens and line breaks', () => {
    const d = (text: string, special = false): boolean => isDelimiter({ text, special });
    assert.deepStrictEqual([d(','), d(' ;'), d('.\n'), d('\n\n'), d('  \n'), d('});'), d(' it'), d('a.'), d(' '), d('', true)],
      [true, true, true, true, true, true, false, false, false, false]);
  });
});

describe('head roles: the probe input', () => {
  const bos: TokenInfo = { id: 3, text: '', start: 0, end: 0, special: true };

  it('prefix, then random distinct ordinary tokens, then the same again; the same every time', () => {
    const exclude = new Set([0, 1, 2, 3]);
    const p = probeTokens({ vocabSize: 8192, exclude, prefix: [bos], maxTokens: 512 });
    assert.strictEqual(p.length, 1 + 2 * PROBE_HALF);
    assert.deepStrictEqual(p[0], bos);
    const first = p.slice(1, 1 + PROBE_HALF).map((t) => t.id);
    const second = p.slice(1 + PROBE_HALF).map((t) => t.id);
    assert.deepStrictEqual(second, first);
    assert.strictEqual(new Set(first).size, PROBE_HALF);
    assert.ok(first.every((id) => id >= 0 && id < 8192 && !exclude.has(id)));
    assert.ok(p.slice(1).every((t) => !t.special));
    assert.deepStrictEqual(probeTokens({ vocabSize: 8192, exclude, prefix: [bos], maxTokens: 512 }), p);
    // every second-half token has its earlier occurrence, so duplicate and induction are measurable
    const c = roleContext(p, true);
    assert.ok(c.earlier.filter((e) => e.length === 1).length >= PROBE_HALF - 1);
  });

  it('shrinks to a short context; refuses one too short, or a vocabulary too small', () => {
    assert.strictEqual(probeTokens({ vocabSize: 100, exclude: new Set(), prefix: [bos], maxTokens: 21 }).length, 21);
    assert.throws(() => probeTokens({ vocabSize: 100, exclude: new Set(), prefix: [bos], maxTokens: 8 }), /too few for the probe/);
    // [CLS] … [SEP]: the suffix closes the probe and counts against the context
    const sep: TokenInfo = { id: 4, text: '', start: 7, end: 7, special: true };
    const p = probeTokens({ vocabSize: 100, exclude: new Set([3, 4]), prefix: [bos], suffix: [sep], maxTokens: 22 });
    assert.strictEqual(p.length, 22);
    assert.deepStrictEqual(p[21], { ...sep, start: 0, end: 0 });
    assert.throws(() => probeTokens({ vocabSize: 10, exclude: new Set([1, 2, 3, 4, 5, 6, 7]), prefix: [], maxTokens: 64 }), /3 ordinary tokens/);
  });

  it('probe scores must fit the model and lie in [0, 1]', () => {
    const s: RoleScores = { previous: 0.5, self: 0, sink: 1, duplicate: null, induction: 0.2, local: 0, broad: 0.3, delimiter: null };
    assert.strictEqual(probeScoresProblem([[s, s]], 1, 2), null);
    assert.match(probeScoresProblem([[s, s]], 2, 2) as string, /for 1 layers, the model has 2/);
    assert.match(probeScoresProblem([[s]], 1, 2) as string, /for 1 heads/);
    assert.match(probeScoresProblem([[s, { ...s, self: 1.5 }]], 1, 2) as string, /self = 1\.5 is not in \[0, 1\]/);
  });
});
