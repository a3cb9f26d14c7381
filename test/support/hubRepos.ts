// Repos in the Hub's ONNX layout (Xenova/*, onnx-community/*: config and tokenizer at the top, the
// graphs in onnx/ by dtype suffix) made from the test fixtures (random weights, built at test time).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureFixtures, type Fixture } from '../fixtures/build';
import { makeRepo, type ServedRepo } from './hubServer';

const TOP = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

function extras(dir: string, name: string): Record<string, string> {
  const write = (f: string, text: string): string => {
    fs.writeFileSync(path.join(dir, f), text);
    return path.join(dir, f);
  };
  return {
    'generation_config.json': write(`${name}-generation_config.json`, '{"bos_token_id": 0, "eos_token_id": 0}\n'),
    LICENSE: write(`${name}-LICENSE`, 'Test licence: random weights, no rights reserved.\n'),
    'README.md': write(`${name}-README.md`, `---\nlicense: mit\n---\n# ${name}\nA test model with random weights.\n`),
    '.gitattributes': write(`${name}-gitattributes`, '*.onnx filter=lfs diff=lfs merge=lfs -text\n'),
  };
}

function layout(fx: Fixture, dir: string, graphs: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = { ...extras(dir, fx.name) };
  for (const f of TOP) if (fs.existsSync(path.join(fx.dir, f))) files[f] = path.join(fx.dir, f);
  for (const [p, src] of Object.entries(graphs)) files[p] = src;
  return files;
}

/** A file of `bytes` random bytes (external data for the big repo). */
function randomFile(file: string, bytes: number): string {
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) return file;
  const fd = fs.openSync(file, 'w');
  for (let left = bytes; left > 0; left -= 1 << 22) fs.writeSync(fd, crypto.randomBytes(Math.min(left, 1 << 22)));
  fs.closeSync(fd);
  return file;
}

export interface TestRepos { gpt2: ServedRepo; bert: ServedRepo; gated: ServedRepo; priv: ServedRepo; big?: ServedRepo; dir: string }

/**
 * test-org/tiny-gpt2 (fp32, q8, fp16 and a with-past graph that no variant takes), test-org/tiny-bert
 * (fp32 only), a gated and a private copy; with `big`, test-org/big-gpt2: the 69 MB fixture with
 * 64 MB of external data, 133 MB in all.
 */
export function testRepos(big = false): TestRepos {
  const fx = ensureFixtures();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hub-repos-'));
  const g = fx.gpt2!.modelFile;
  const gpt2Files = layout(fx.gpt2!, dir, {
    'onnx/model.onnx': g, 'onnx/model_quantized.onnx': g, 'onnx/model_fp16.onnx': g, 'onnx/decoder_with_past_model.onnx': g,
  });
  const repos: TestRepos = {
    gpt2: makeRepo('test-org/tiny-gpt2', gpt2Files, { license: 'mit' }),
    bert: makeRepo('test-org/tiny-bert', layout(fx.bert!, dir, { 'onnx/model.onnx': fx.bert!.modelFile }), { license: 'apache-2.0' }),
    gated: makeRepo('test-org/gated-gpt2', gpt2Files, { gated: true }),
    priv: makeRepo('test-org/private-gpt2', gpt2Files, { private: true }),
    dir,
  };
  if (big) {
    const bigFx = fx['gpt2-big-vocab']!;
    const data = randomFile(path.join(os.tmpdir(), 'lens-hub-big-model.onnx_data'), 64 * 1024 * 1024);
    repos.big = makeRepo('test-org/big-gpt2', layout(bigFx, dir, { 'onnx/model.onnx': bigFx.modelFile, 'onnx/model.onnx_data': data }));
  }
  return repos;
}
