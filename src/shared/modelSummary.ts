// What the panel header says about a model: its shape, whether each token sees only the tokens
// before it, and its tokenizer family. Pure; shared by the page and the tests.
import type { ModelConfig } from './modelConfig';

/** "12 layers × 12 heads (4 key/value heads) · causal · byte-level BPE". */
export function modelFacts(c: ModelConfig): string {
  const shape = `${c.num_layers} layer${c.num_layers === 1 ? '' : 's'} × ${c.num_heads} head${c.num_heads === 1 ? '' : 's'}`;
  const gqa = c.num_kv_heads !== undefined && c.num_kv_heads !== c.num_heads ? ` (${c.num_kv_heads} key/value heads)` : '';
  const parts = [shape + gqa, c.architecture === 'causal' ? 'causal' : 'bidirectional'];
  if (c.tokenizer_family) parts.push(c.tokenizer_family);
  return parts.join(' · ');
}

