import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { ToHost, ToWebview, parseToHost, parseToWebview } from '../../src/shared/protocol';
import { ValidationError } from '../../src/shared/validate';
import { TextTokenizer, tokenizeForModel } from '../../src/tokenizers/tokenize';

const MODEL = path.resolve(__dirname, '../../../models/default');
const config = parseModelConfig(fs.readFileSync(path.join(MODEL, 'config.json'), 'utf8'));

const validToHost: ToHost[] = [
  { type: 'ready' },
  { type: 'progress', runId: null, phase: 'loading-model', detail: 'model.onnx 13 MB' },
  { type: 'progress', runId: 3, phase: 'running', detail: '' },
  { type: 'result', runId: 3, backend: 'wasm', backendReason: 'navigator.gpu has no adapter', loadMs: 412.5, inferenceMs: 80 },
  { type: 'highlight', runId: 3, tokenIndex: 7, direction: 'from', targets: [{ index: 2, weight: 0.51 }, { index: 7, weight: 0.31 }] },
  { type: 'highlight', runId: 3, tokenIndex: null, direction: 'to', targets: [] },
  { type: 'explanation', runId: 3, tokenIndex: 7, summary: 'it → street 8%, because 7% (itself 11%, <bos> 19%)', lines: ['layer 1 mean: …'] },
  { type: 'error', runId: null, message: 'attentions.3 is missing from the graph' },
  { type: 'error', runId: null, message: 'Cannot load bert: no available backend found', modelUri: 'https://file+.vscode-resource.vscode-cdn.net/m/model.onnx' },
  { type: 'save', format: 'png', fileName: 'attention.png', data: 'iVBORw0KGgo=', encoding: 'base64' },
  { type: 'reload', reason: 'WebGPU device lost' },
];

describe('protocol: webview → host', () => {
  for (const m of validToHost) {
    it(`accepts a valid ${m.type} message`, () => assert.deepStrictEqual(parseToHost(m), m));
  }

  it('drops fields it does not know instead of trusting them', () => {
    const parsed = parseToHost({ type: 'ready', extra: '<script>' });
    assert.deepStrictEqual(parsed, { type: 'ready' });
  });

  const malformed: [string, unknown, RegExp][] = [
    ['not an object', 'ready', /message must be an object/],
    ['null', null, /message must be an object/],
    ['an unknown type', { type: 'eval', code: '1' }, /unknown webview→host message type "eval"/],
    ['no type', { runId: 1 }, /unknown webview→host message type undefined/],
    ['a host→webview type', { type: 'run', runId: 1 }, /unknown webview→host message type "run"/],
    ['a missing field', { type: 'result', runId: 1, backend: 'wasm', loadMs: 1, inferenceMs: 1 }, /result\.backendReason must be a string/],
    ['a wrong enum', { type: 'result', runId: 1, backend: 'cuda', backendReason: null, loadMs: 1, inferenceMs: 1 }, /result\.backend must be one of webgpu, wasm/],
    ['a NaN weight', { type: 'highlight', runId: 1, tokenIndex: 0, direction: 'from', targets: [{ index: 0, weight: NaN }] }, /highlight\.targets\[0\]\.weight must be a finite number/],
    ['a fractional index', { type: 'highlight', runId: 1, tokenIndex: 0.5, direction: 'from', targets: [] }, /highlight\.tokenIndex must be an integer/],
    ['too many targets', { type: 'highlight', runId: 1, tokenIndex: 0, direction: 'from', targets: Array(9000).fill({ index: 0, weight: 0 }) }, /has 9000 items, more than 8192/],
    ['a load error naming its model by a number', { type: 'error', runId: null, message: 'x', modelUri: 7 }, /error\.modelUri must be a string/],
    ['a bad save encoding', { type: 'save', format: 'png', fileName: 'a.png', data: '', encoding: 'hex' }, /save\.encoding must be one of utf8, base64/],
  ];
  for (const [name, raw, why] of malformed) {
    it(`refuses ${name}, saying what is wrong`, () => {
      assert.throws(() => parseToHost(raw), (e: Error) => e instanceof ValidationError && why.test(e.message));
    });
  }
});

describe('protocol: host → webview', () => {
  it('accepts the run message the host builds from real tokens', () => {
    const tok = new TextTokenizer(JSON.parse(fs.readFileSync(path.join(MODEL, 'tokenizer.json'), 'utf8')));
    const input = tokenizeForModel(tok, 'The animal was tired 😀 because it\r\n\twas late.', config, 512, 30);
    const run: ToWebview = {
      type: 'run', runId: 1, source: { fileName: 'a.md', languageId: 'markdown' },
      tokens: input.tokens, truncation: input.truncation, focus: input.focus, explain: true,
    };
    assert.deepStrictEqual(parseToWebview(run), run);
  });

  it('accepts init with the model config', () => {
    const init: ToWebview = {
      type: 'init', model: { name: config.name, config, modelUri: 'https://x/model.onnx', sizeBytes: 10 }, wasmBase: 'https://x/', backend: 'auto',
    };
    const parsed = parseToWebview(init);
    assert.strictEqual(parsed.type, 'init');
  });

  it('carries the external data files of init\'s graph, and refuses a malformed one', () => {
    const externalData = [{ location: 'model.onnx_data', uri: 'https://x/model.onnx_data', sizeBytes: 5 }];
    const init: ToWebview = {
      type: 'init', model: { name: config.name, config, modelUri: 'https://x/model.onnx', sizeBytes: 10, externalData }, wasmBase: 'https://x/', backend: 'auto',
    };
    const parsed = parseToWebview(init);
    assert.ok(parsed.type === 'init' && parsed.model.externalData);
    assert.deepStrictEqual(parsed.model.externalData, externalData);
    const bad = { ...init, model: { ...init.model, externalData: [{ location: 'model.onnx_data', uri: 'https://x/d' }] } };
    assert.throws(() => parseToWebview(bad), /init\.model\.externalData\[0\]\.sizeBytes must be an integer/);
  });

  it('refuses a run whose token is malformed', () => {
    const bad = { type: 'run', runId: 1, source: { fileName: 'a', languageId: 'b' }, tokens: [{ id: 1, text: 'a', start: 0, end: '1', special: false }], truncation: null, focus: null, explain: false };
    assert.throws(() => parseToWebview(bad), /run\.tokens\[0\]\.end must be an integer/);
  });
});
