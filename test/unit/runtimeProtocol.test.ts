// The runtime-by-message protocol (issue 20): the page's runtimeRequest and the host's runtime
// answer are checked on arrival like every message, and the host sends the runtime's bytes alone.
import * as assert from 'assert';
import { parseToHost, parseToWebview } from '../../src/shared/protocol';
import { ownCopy } from '../../src/panel/runtimeSender';

const SHA = 'a'.repeat(64);

describe('runtime messages', () => {
  it('accepts a runtime request for either backend and refuses another kind', () => {
    assert.deepStrictEqual(parseToHost({ type: 'runtimeRequest', kind: 'wasm' }), { type: 'runtimeRequest', kind: 'wasm' });
    assert.throws(() => parseToHost({ type: 'runtimeRequest', kind: 'cuda' }));
  });

  it('accepts a runtime of bytes with a SHA-256, and refuses a bad hash or no bytes', () => {
    const m = parseToWebview({ type: 'runtime', kind: 'wasm', sha256: SHA, data: new Uint8Array([0, 97, 115, 109]) });
    assert.strictEqual(m.type, 'runtime');
    assert.throws(() => parseToWebview({ type: 'runtime', kind: 'wasm', sha256: 'xyz', data: new Uint8Array(1) }), /SHA-256/);
    assert.throws(() => parseToWebview({ type: 'runtime', kind: 'wasm', sha256: SHA, data: [1, 2] }), /bytes/);
  });

  it('sends a Buffer that is a view into a larger pool as a copy of its own bytes', () => {
    const pooled = Buffer.from('runtime');
    const own = ownCopy(pooled);
    assert.strictEqual(own.constructor, Uint8Array);
    assert.strictEqual(own.buffer.byteLength, 7);
    assert.deepStrictEqual([...own], [...pooled]);
    const plain = new Uint8Array(4);
    assert.strictEqual(ownCopy(plain), plain);
  });
});
