// Repos "Download model…" suggests: ONNX exports with plain (unfused) attention, small enough to try.
// Written by hand from their cards; sizes are the recommended variant's, roughly (the quick pick of
// variants shows the exact ones from the Hub).

export interface SuggestedRepo { repo: string; architecture: string; size: string; licence: string }

export const SUGGESTED_REPOS: readonly SuggestedRepo[] = [
  { repo: 'Xenova/distilbert-base-uncased', architecture: 'DistilBERT encoder, 6 layers × 12 heads, bidirectional', size: 'about 70 MB (q8)', licence: 'Apache-2.0' },
  { repo: 'Xenova/bert-base-uncased', architecture: 'BERT base encoder, 12 layers × 12 heads, bidirectional', size: 'about 110 MB (q8)', licence: 'Apache-2.0' },
  { repo: 'Xenova/gpt2', architecture: 'GPT-2 small decoder, 12 layers × 12 heads, causal', size: 'about 130 MB (q8)', licence: 'MIT' },
  { repo: 'Xenova/distilgpt2', architecture: 'DistilGPT-2 decoder, 6 layers × 12 heads, causal', size: 'about 85 MB (q8)', licence: 'Apache-2.0' },
  { repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', architecture: 'Llama decoder, 30 layers × 9 heads (3 key/value), causal', size: 'about 140 MB (q8)', licence: 'Apache-2.0' },
  { repo: 'onnx-community/Qwen2.5-0.5B-Instruct', architecture: 'Qwen2 decoder, 24 layers × 14 heads (2 key/value), causal', size: 'about 500 MB (q8)', licence: 'Apache-2.0' },
  { repo: 'onnx-community/TinyStories-656K-ONNX', architecture: 'Llama decoder, 656 K parameters, causal (trained on children\'s stories)', size: 'a few MB', licence: 'see the repo\'s card' },
];
