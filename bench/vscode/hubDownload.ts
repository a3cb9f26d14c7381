// Issue 19's closing figures: "Download model…" of a 100 MB+ repo from the local Hub
// (test/support/hubServer.ts, on 127.0.0.1, started here in the bench's process and reached by the
// extension through HF_ENDPOINT), then the first Explain on it, in the real VS Code. The repo is
// GPT-2 small (random weights, the big rows' fixtures) in the Hub's ONNX layout: onnx/model.onnx
// (fp32) and onnx/model_quantized.onnx (q8, what Enter, Enter takes on WASM).
//
//   node out/bench/vscode/hubDownload.js [--variant q8|fp32] [--tokens 128] [--warm 2]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModelFolder } from '../../src/models/modelFolder';
import { ensureFixtures } from '../../test/fixtures/build';
import { ensureQuantized } from '../../test/fixtures/hubForms';
import { HubServer, makeRepo } from '../../test/support/hubServer';
import { makeCase } from '../inputs';
import { medianOrNull, round } from '../stats';
import { benchVsCode } from './launch';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const REPO_ID = 'bench-org/gpt2-small';
const TOP = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export interface HubDownloadRow {
  repo: string;
  variant: string;
  repo_bytes: number;
  downloaded_bytes: number | null;
  download_ms: number | null;
  download_mb_s: number | null;
  tokens: number;
  first_explain_ms: number | null;
  first_explain_split: Record<string, number | string | null> | null;
  warm_ms: number | null;
  load_start: number;
  load_end: number;
}

export async function benchHubDownload(variant: string, tokens: number, warm: number, log: (l: string) => void): Promise<HubDownloadRow> {
  const fp32 = ensureFixtures('gpt2-small')['gpt2-small'];
  const q8 = ensureQuantized('gpt2-small');
  const files: Record<string, string> = { 'onnx/model.onnx': fp32.modelFile, 'onnx/model_quantized.onnx': q8.modelFile };
  for (const f of TOP) files[f] = path.join(fp32.dir, f);
  const served = makeRepo(REPO_ID, files, { license: 'mit' });
  const server = await HubServer.start([served]);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-bench-hubcache-'));
  const model = await loadModelFolder(fp32.dir, false);
  const c = makeCase(ROOT, model.tokenizer, model.config, 'prose', tokens);
  const load0 = round(os.loadavg()[0], 2)!;
  try {
    const reports = await benchVsCode({
      repo: ROOT, text: c.text, windows: 1, warmRuns: warm, log, memory: true,
      env: { HF_ENDPOINT: server.hubUrl, HF_HUB_CACHE: cache }, download: `${REPO_ID}:${variant}`,
    });
    const r = reports.get(ROOT)![0];
    const d = r.download;
    const split: Record<string, number | string | null> = { host_ms: round(r.cold.host_ms), load_ms: round(r.cold.load_ms), inference_ms: round(r.cold.inference_ms) };
    for (const [k, v] of Object.entries(r.cold.phases ?? {})) split[`phase_${k}`] = typeof v === 'number' ? round(v) : v;
    return {
      repo: REPO_ID, variant, repo_bytes: served.files.reduce((n, f) => n + f.size, 0),
      downloaded_bytes: d?.bytes ?? null, download_ms: d ? round(d.wall_ms) : null,
      download_mb_s: d ? round(d.bytes / 1e6 / (d.wall_ms / 1000), 1) : null,
      tokens, first_explain_ms: round(r.cold.total_ms), first_explain_split: split,
      warm_ms: round(medianOrNull(r.warm.map((w) => w.total_ms))), load_start: load0, load_end: round(os.loadavg()[0], 2)!,
    };
  } finally {
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const opt = (k: string, d: string): string => {
    const i = argv.indexOf(k);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
  };
  const log = (l: string) => process.stdout.write(`[bench] ${l}\n`);
  log(`${new Date().toISOString()} load ${os.loadavg().join(' ')}`);
  benchHubDownload(opt('--variant', 'q8'), Number(opt('--tokens', '128')), Number(opt('--warm', '2')), log).then((row) => {
    process.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
    log(`${new Date().toISOString()} load ${os.loadavg().join(' ')}`);
    process.exit(0);
  }, (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
