import * as assert from 'assert';
import { RunLedger } from '../../src/run/runs';
import { BUCKETS, MIN_DRAWN_WEIGHT, bucketAlpha, bucketOf, percent } from '../../src/editor/weights';

describe('weights: editor highlight buckets', () => {
  it('puts weights into ten buckets by tenths', () => {
    assert.strictEqual(bucketOf(0.01), 0);
    assert.strictEqual(bucketOf(0.099), 0);
    assert.strictEqual(bucketOf(0.1), 1);
    assert.strictEqual(bucketOf(0.51), 5);
    assert.strictEqual(bucketOf(0.999), 9);
    assert.strictEqual(bucketOf(1), 9);
  });

  it('does not draw weights below 0.5% or that are not numbers', () => {
    assert.strictEqual(bucketOf(MIN_DRAWN_WEIGHT / 2), -1);
    assert.strictEqual(bucketOf(0), -1);
    assert.strictEqual(bucketOf(NaN), -1);
    assert.strictEqual(bucketOf(-0.2), -1);
  });

  it('makes alpha grow in proportion to the bucket, up to 0.7', () => {
    const alphas = Array.from({ length: BUCKETS }, (_, b) => bucketAlpha(b));
    for (let b = 1; b < BUCKETS; b++) assert.ok(Math.abs(alphas[b] / alphas[0] - (b + 1)) < 1e-9);
    assert.ok(Math.abs(alphas[BUCKETS - 1] - 0.7) < 1e-12);
  });

  it('writes percentages as the explanation does', () => {
    assert.strictEqual(percent(0.514), '51%');
    assert.strictEqual(percent(0.004), '0.4%');
    assert.strictEqual(percent(0), '0%');
    assert.strictEqual(percent(1), '100%');
  });
});

describe('runs: the ledger', () => {
  it('gives increasing ids and only the latest is current', () => {
    const l = new RunLedger();
    const a = l.start();
    const b = l.start();
    assert.ok(b.runId > a.runId);
    assert.strictEqual(l.isCurrent(a.runId), false);
    assert.strictEqual(l.isCurrent(b.runId), true);
    assert.strictEqual(l.isCurrent(null), false);
  });

  it('asks to cancel the runs still in flight, once', () => {
    const l = new RunLedger();
    const a = l.start();
    const b = l.start();
    assert.deepStrictEqual(b.cancel, [a.runId]);
    l.finish(b.runId);
    assert.deepStrictEqual(l.start().cancel, []);
  });

  it('stays small under 20 commands in a row', () => {
    const l = new RunLedger();
    let cancels = 0;
    let last = 0;
    for (let i = 0; i < 20; i++) {
      const r = l.start();
      cancels += r.cancel.length;
      last = r.runId;
    }
    assert.strictEqual(cancels, 19);
    assert.strictEqual(l.inFlightCount, 1);
    assert.strictEqual(l.current, last);
    l.dropAll();
    assert.strictEqual(l.inFlightCount, 0);
  });
});
