// tokenizer.json patterns that can backtrack exponentially are refused before use; real tokenizers' pass.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { exponentialRisk } from '../../src/tokenizers/patternSafety';
import { TextTokenizer, TokenizerError } from '../../src/tokenizers/tokenize';
import { ROOT, bertJson, gemma3Json, llama2RealJson, llama3Json } from '../support/tokenizerFixtures';

const DEFAULT = fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8');
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The default tokenizer.json with a Split on `pattern` after its own pre-tokenizer. */
function withSplit(pattern: string): Record<string, unknown> {
  const j = JSON.parse(DEFAULT) as Record<string, unknown>;
  const split = { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false };
  j.pre_tokenizer = { type: 'Sequence', pretokenizers: [j.pre_tokenizer, split] };
  return j;
}

describe('pattern safety: exponential backtracking is refused before use', () => {
  for (const bad of ['(a+)+$', '(a|a)*', '(a|aa)+', '(\\w+\\s?)*', '(?:x*y?)+z']) {
    it(`flags ${bad}`, () => assert.ok(exponentialRisk(bad, 'u'), bad));
  }

  for (const [name, good] of [['GPT-2', GPT2], ['Qwen2', QWEN2], ['digits', '\\p{N}{1,3}'], ['a+b+', 'a+b+']]) {
    it(`passes ${name}'s pattern`, () => assert.strictEqual(exponentialRisk(good, 'gu'), null));
  }

  it('refuses the hostile Split, naming tokenizer.json and the JSON path of the pattern', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-redos-'));
    const file = path.join(dir, 'tokenizer.json');
    fs.writeFileSync(file, JSON.stringify(withSplit('(a+)+$')));
    try {
      await assert.rejects(loadTokenizer(file), (e: Error) => {
        assert.ok(e instanceof TokenizerError);
        assert.ok(e.message.startsWith(file), e.message);
        assert.match(e.message, /pre_tokenizer\.pretokenizers\[1\]\.pattern\.Regex "\(a\+\)\+\$" can take exponential time/);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  for (const [name, json] of [['Llama 3', llama3Json], ['Llama 2', llama2RealJson], ['Gemma 3', gemma3Json], ['BERT', bertJson]] as const) {
    it(`loads the real ${name} tokenizer.json`, function () {
      this.timeout(30000); // Gemma 3's vocabulary is large
      assert.ok(new TextTokenizer(JSON.parse(json())).encode('It was fine, wasn\'t it?').length > 0);
    });
  }
});
