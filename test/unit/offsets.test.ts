import * as assert from 'assert';
import { AlignmentError, byteLevelToBytes, bytesToByteLevel, utf8 } from '../../src/shared/offsets';

describe('offsets: the byte-level table', () => {
  it('maps all 256 bytes to distinct characters and back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const spelled = bytesToByteLevel(all);
    assert.strictEqual(new Set(spelled).size, 256);
    assert.deepStrictEqual([...byteLevelToBytes(spelled)], [...all]);
  });

  it('spells whitespace the way GPT-2 tokenizers do', () => {
    assert.deepStrictEqual([...byteLevelToBytes('Ġ')], [0x20]);
    assert.deepStrictEqual([...byteLevelToBytes('Ċ')], [0x0a]);
    assert.deepStrictEqual([...byteLevelToBytes('ĉ')], [0x09]);
    assert.deepStrictEqual([...byteLevelToBytes('č')], [0x0d]);
    assert.deepStrictEqual([...byteLevelToBytes('Ġthe')], [0x20, 0x74, 0x68, 0x65]);
  });

  it('rejects a character outside the table', () => {
    assert.throws(() => byteLevelToBytes('猫'), AlignmentError);
  });
});

describe('offsets: UTF-8', () => {
  it('writes a lone surrogate as U+FFFD (3 bytes), as TextEncoder does', () => {
    assert.deepStrictEqual([...utf8('x\ud800y')], [0x78, 0xef, 0xbf, 0xbd, 0x79]);
  });
});
