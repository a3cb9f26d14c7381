// Which bundled model reads a text (prose → encoder, code → decoder), the recent-folders list, and
// what the panel header says about a model.
import * as assert from 'assert';
import { bundledFor, isProse, pushRecent } from '../../src/models/routing';
import { ModelConfig } from '../../src/shared/modelConfig';
import { modelFacts } from '../../src/shared/modelSummary';

describe('bundled model routing', () => {
  it('prose languages are prose; code is code', () => {
    assert.strictEqual(isProse('markdown', 'const x = 1;'), true);
    assert.strictEqual(isProse('plaintext', 'The animal did not cross the street.'), true);
    assert.strictEqual(isProse('typescript', 'const animal = new Animal();\nanimal.cross(street);'), false);
    assert.strictEqual(isProse('python', 'def f(x):\n    return x'), false);
  });

  it('comments in code are prose, in each language family', () => {
    assert.strictEqual(isProse('typescript', '// The animal did not cross the street\n// because it was too tired.'), true);
    assert.strictEqual(isProse('java', '/**\n * The animal did not cross\n * because it was tired.\n */'), true);
    assert.strictEqual(isProse('python', '# it was too tired\n\n# to cross'), true);
    assert.strictEqual(isProse('python', '"""The animal did not cross the street because it was too tired."""'), true);
    assert.strictEqual(isProse('sql', '-- the rows it keeps'), true);
    assert.strictEqual(isProse('typescript', '// a comment\nconst x = 1; // and code'), false);
    assert.strictEqual(isProse('python', '   \n'), false);
  });

  it('the preference wins; without a bundled encoder everything goes to the decoder', () => {
    assert.strictEqual(bundledFor('auto', true, 'markdown', 'It was tired.'), 'encoder');
    assert.strictEqual(bundledFor('auto', true, 'typescript', 'let it = 1;'), 'decoder');
    assert.strictEqual(bundledFor('decoder', true, 'markdown', 'It was tired.'), 'decoder');
    assert.strictEqual(bundledFor('encoder', true, 'typescript', 'let it = 1;'), 'encoder');
    assert.strictEqual(bundledFor('auto', false, 'markdown', 'It was tired.'), 'decoder');
    assert.strictEqual(bundledFor('encoder', false, 'markdown', 'It was tired.'), 'decoder');
  });

  it('recent folders: newest first, no repeats, bounded', () => {
    assert.deepStrictEqual(pushRecent(['/a', '/b', '/c'], '/b'), ['/b', '/a', '/c']);
    assert.deepStrictEqual(pushRecent(['/a', '/b'], '/c', 2), ['/c', '/a']);
  });
});

describe('model facts in the header', () => {
  const base: ModelConfig = { name: 'm', architecture: 'causal', num_layers: 12, num_heads: 12, max_tokens: 1024, special_tokens: {} };

  it('layers × heads, causal or bidirectional, grouped-query kv heads, tokenizer family', () => {
    assert.strictEqual(modelFacts(base), '12 layers × 12 heads · causal');
    assert.strictEqual(modelFacts({ ...base, architecture: 'bidirectional', num_layers: 1, num_heads: 1, tokenizer_family: 'WordPiece' }), '1 layer × 1 head · bidirectional · WordPiece');
    assert.strictEqual(modelFacts({ ...base, num_layers: 22, num_heads: 32, num_kv_heads: 4, tokenizer_family: 'SentencePiece BPE' }), '22 layers × 32 heads (4 key/value heads) · causal · SentencePiece BPE');
  });
});
