// A tokenizer.json that cannot be used is refused with the file and the problem named.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { TextTokenizer, TokenizerError } from '../../src/tokenizers/tokenize';
import { ROOT } from '../support/tokenizerFixtures';

const DEFAULT = fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8');

function withFile(content: string, run: (file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-tokerr-'));
  const file = path.join(dir, 'tokenizer.json');
  fs.writeFileSync(file, content);
  return run(file).finally(() => fs.rmSync(dir, { recursive: true }));
}

function edited(edit: (j: Record<string, any>) => void): string {
  const j = JSON.parse(DEFAULT) as Record<string, any>;
  edit(j);
  return JSON.stringify(j);
}

async function refused(content: string, pattern: RegExp, opts = {}): Promise<void> {
  await withFile(content, async (file) => {
    await assert.rejects(loadTokenizer(file, opts), (e: Error) => {
      assert.ok(e instanceof TokenizerError, 'a TokenizerError');
      assert.ok(e.message.startsWith(file), `names the file: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  });
}

describe('tokenize: a tokenizer.json that cannot be used', () => {
  it('an unknown model type', () => refused(edited((j) => { j.model.type = 'WordLevel'; }), /model\.type "WordLevel" is not a tokenizer model Attention Lens reads \(BPE, WordPiece, Unigram\)/));

  it('no model at all', () => refused(edited((j) => { delete j.model; }), /has no "model" object/));

  it('a BPE model without merges', () => refused(edited((j) => { delete j.model.merges; }), /model\.merges must be a list/));

  it('a normalizer it does not know', () => refused(edited((j) => { j.normalizer = { type: 'Sequence', normalizers: [{ type: 'Fancy' }] }; }), /normalizer\.normalizers\[0\]: normalizer type "Fancy" is not supported/));

  it('a pre-tokenizer it does not know', () => refused(edited((j) => { j.pre_tokenizer = { type: 'UnicodeScripts' }; }), /pre_tokenizer: pre-tokenizer type "UnicodeScripts" is not supported/));

  it('a post-processor template naming a token it does not list', () => refused(edited((j) => {
    j.post_processor = { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], special_tokens: {} };
  }), /post_processor\.special_tokens has no ids and tokens for "<s>"/));

  it('truncated JSON', () => refused(DEFAULT.slice(0, 1000), /is not valid JSON/));

  it('not an object', () => refused('[1, 2]', /must hold a JSON object/));

  it('ids past the model\'s vocab_size', () => refused(DEFAULT, /produces token ids up to 8191, but config\.json says the model's vocab_size is 8000/, { vocabSize: 8000 }));

  it('accepts ids that fit the vocab_size exactly', async () => {
    await withFile(DEFAULT, async (file) => {
      const tok = await loadTokenizer(file, { vocabSize: 8192 });
      assert.strictEqual(tok.maxId, 8191);
    });
  });

  it('tokenizer_config.json asking for a bos it does not name', () => {
    assert.throws(() => new TextTokenizer(JSON.parse(DEFAULT), { tokenizerConfig: { add_bos_token: true }, tokenizerConfigFile: 'tokenizer_config.json' }),
      /tokenizer\.json: tokenizer_config\.json sets add_bos_token but names no bos_token/);
  });
});
