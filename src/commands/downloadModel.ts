// "Attention Lens: Download model…": a repo (suggested, or any org/name or Hub URL typed), one of its
// variants (recommended first, so Enter, Enter takes it), a cancellable progress notification, then
// the model becomes attentionLens.modelPath in the user settings. It writes only the user's Hugging
// Face cache and user settings, so it works in an untrusted workspace too.
import * as vscode from 'vscode';
import { HUB_REDIRECTS } from '../env/node/hubFetch';
import { hubEnv, nodeFiles } from '../env/node/nodeFiles';
import { hubCacheDir, isOffline, readMainRef, repoDir, snapshotDir, snapshotFiles } from '../hub/cache';
import { downloadFiles } from '../hub/download';
import { chooseEndpoint, parseRepoId } from '../hub/endpoint';
import { HubError } from '../hub/errors';
import { joinPath } from '../hub/files';
import type { HubHttp } from '../hub/http';
import { fetchListing } from '../hub/listing';
import { describeProgress } from '../hub/progress';
import { SUGGESTED_REPOS } from '../hub/suggested';
import { formatBytes, variantsOf, type Variant } from '../hub/variants';
import { hubToken } from './hubToken';
import type { Chosen, DownloadArgs, Downloaded } from './target';

export const DOWNLOAD_MODEL = 'attentionLens.downloadModel';

export interface DownloadDeps {
  secrets: vscode.SecretStorage;
  log: vscode.OutputChannel;
  version: string;
  /** The extension's global storage: the Hub cache where there is no user cache (the browser host). */
  storage: vscode.Uri;
  tell: (severity: 'info' | 'warning' | 'error', text: string) => void;
  /** Shows a message with buttons; resolves to the one pressed. */
  ask: (severity: 'info' | 'error', text: string, ...buttons: string[]) => Thenable<string | undefined>;
  /** Checks the folder loads and writes it to the user settings (Choose model…'s path). */
  use: (modelPath: string) => Promise<Chosen | undefined>;
  explain: () => Promise<unknown>;
}

function argsOf(arg: unknown): DownloadArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  return { ...(typeof a.repo === 'string' ? { repo: a.repo } : {}), ...(typeof a.variant === 'string' ? { variant: a.variant } : {}) };
}

/** Runs the command; `arg` {repo, variant} skips the quick picks. Returns what was downloaded and used. */
export async function downloadModel(d: DownloadDeps, arg?: unknown): Promise<Downloaded | undefined> {
  const args = argsOf(arg);
  try {
    const typed = args.repo ?? (await pickRepo());
    if (typed === undefined) return undefined;
    const repo = parseRepoId(typed);
    if (!repo) throw new HubError('noRepo', `"${typed}" is not a Hub repo: type org/name (Xenova/gpt2) or its https://huggingface.co/… address`);
    return await fetchRepo(d, repo, args.variant);
  } catch (e) {
    if (!(e instanceof HubError)) throw e;
    report(d, e);
    return undefined;
  }
}

function report(d: DownloadDeps, e: HubError): void {
  d.log.appendLine(`[hub] ${e.kind}: ${e.message}`);
  if (e.kind === 'cancelled') {
    d.tell('info', 'Attention Lens: download cancelled; what arrived is kept, and the next download of this model resumes from there.');
  } else if (e.openUrl) {
    const open = 'Open on the Hub';
    void d.ask('error', `Attention Lens: ${e.message}.`, open).then((b) => {
      if (b === open) void vscode.env.openExternal(vscode.Uri.parse(e.openUrl!));
    });
  } else {
    d.tell('error', `Attention Lens: ${e.message}.`);
  }
}

async function pickRepo(): Promise<string | undefined> {
  interface Item extends vscode.QuickPickItem { repo: string }
  const suggested: Item[] = SUGGESTED_REPOS.map((s) => ({ label: s.repo, description: s.size, detail: `${s.architecture} — licence: ${s.licence}`, repo: s.repo }));
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Attention Lens: Download model from the Hugging Face Hub';
  qp.placeholder = 'A suggested model, or type org/name or a huggingface.co address and press Enter';
  qp.matchOnDescription = true;
  qp.items = suggested;
  qp.onDidChangeValue((v) => {
    const id = parseRepoId(v);
    // What was typed goes first, so Enter takes it even when it matches no suggestion.
    qp.items = id && !SUGGESTED_REPOS.some((s) => s.repo === id) ? [{ label: id, description: 'download this repo', alwaysShow: true, repo: id }, ...suggested] : suggested;
  });
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.repo ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

async function pickVariant(repo: string, variants: Variant[], wanted: string | undefined): Promise<Variant | undefined> {
  if (wanted !== undefined) {
    const v = variants.find((x) => x.dtype === wanted || x.graph === wanted);
    if (!v) throw new HubError('noVariant', `${repo} has no variant "${wanted}" (it has ${variants.map((x) => x.dtype).join(', ')})`);
    return v;
  }
  const items = variants.map((v) => ({
    label: `${v.dtype}${v.recommended ? ' (recommended)' : ''}`, description: formatBytes(v.bytes),
    detail: `${v.graph}${v.files.length > 1 ? ` and ${v.files.length - 1} more files` : ''}`, v,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: `Attention Lens: which variant of ${repo}?`, placeHolder: 'q8 runs on WASM at a quarter of fp32\'s size; fp16 needs WebGPU' });
  return pick?.v;
}

async function connection(d: DownloadDeps, env: ReturnType<typeof hubEnv>): Promise<HubHttp> {
  const setting = vscode.workspace.getConfiguration('attentionLens').inspect<string>('hubEndpoint')?.globalValue;
  const endpoint = chooseEndpoint(env.get('HF_ENDPOINT'), setting);
  const token = await hubToken(d.secrets, env, nodeFiles);
  return {
    endpoint, userAgent: `attention-lens/${d.version}`, redirects: HUB_REDIRECTS, fetch: (u, i) => fetch(u, i), ...(token ? { token } : {}),
    onWait: (s) => {
      d.log.appendLine(`[hub] rate-limited: waiting ${s} s as the Hub asks`);
      void vscode.window.setStatusBarMessage(`Attention Lens: the Hub asks to wait ${s} s (rate limit)…`, s * 1000);
    },
  };
}

async function fetchRepo(d: DownloadDeps, repo: string, wanted: string | undefined): Promise<Downloaded | undefined> {
  const env = hubEnv(d.storage);
  const cache = hubCacheDir(env);
  if (isOffline(env)) return fromCache(d, cache, repo, wanted);
  const h = await connection(d, env);
  const listing = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${repo} on the Hub…` }, () => fetchListing(h, repo));
  const variants = variantsOf(listing.files);
  if (variants.length === 0) {
    const graphs = listing.files.filter((f) => f.path.endsWith('.onnx')).map((f) => f.path);
    throw new HubError('noVariant', graphs.length > 0
      ? `${repo} has no graph Attention Lens can run alone (${graphs.join(', ')} need a key/value cache from another graph)`
      : `${repo} has no ONNX graph (Attention Lens runs ONNX exports: try an Xenova/… or onnx-community/… repo)`);
  }
  const v = await pickVariant(repo, variants, wanted);
  if (!v) return undefined;
  d.log.appendLine(`[hub] ${repo} at ${listing.sha}: ${v.dtype} (${v.graph}, ${v.files.length} files, ${v.bytes} bytes) into ${cache}`);
  const started = Date.now();
  const snap = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${repo} (${v.dtype})`, cancellable: true },
    async (progress, cancel) => {
      const stop = new AbortController();
      cancel.onCancellationRequested(() => stop.abort());
      const hs: HubHttp = {
        ...h, signal: stop.signal,
        onWait: (s) => {
          h.onWait?.(s);
          progress.report({ message: `the Hub asks to wait ${s} s (rate limit)…` });
        },
      };
      let shown = 0;
      let at = 0;
      return downloadFiles(hs, nodeFiles, { repo, sha: listing.sha, files: v.files, cache }, (p) => {
        // Ten reports a second at most: each one crosses to the window.
        if (p.done < p.total && Date.now() - at < 100) return;
        at = Date.now();
        const pct = p.total > 0 ? (100 * p.done) / p.total : 100;
        progress.report({ increment: pct - shown, message: describeProgress(p) });
        shown = pct;
      });
    },
  );
  const seconds = (Date.now() - started) / 1000;
  d.log.appendLine(`[hub] ${repo}: ${v.bytes} bytes in ${seconds.toFixed(1)} s`);
  return use(d, { repo, sha: listing.sha, dtype: v.dtype, bytes: v.bytes, seconds, modelPath: joinPath(snap, v.graph) });
}

/** HF_HUB_OFFLINE=1: the model as the cache has it, or a clear no. */
async function fromCache(d: DownloadDeps, cache: string, repo: string, wanted: string | undefined): Promise<Downloaded | undefined> {
  const dir = repoDir(cache, repo);
  const sha = await readMainRef(nodeFiles, dir);
  const variants = sha ? variantsOf(await snapshotFiles(nodeFiles, snapshotDir(dir, sha))) : [];
  if (!sha || variants.length === 0) throw new HubError('offline', `HF_HUB_OFFLINE is set and ${repo} is not in the cache (${cache}): unset it to download`);
  const v = await pickVariant(repo, variants, wanted);
  if (!v) return undefined;
  return use(d, { repo, sha, dtype: v.dtype, bytes: v.bytes, seconds: 0, modelPath: joinPath(snapshotDir(dir, sha), v.graph) });
}

async function use(d: DownloadDeps, done: Downloaded): Promise<Downloaded | undefined> {
  if (!(await d.use(done.modelPath))) return undefined; // use() said why; the files stay in the cache
  const explain = 'Explain the cursor now';
  void d.ask('info', `Attention Lens: ${done.repo} (${done.dtype}) is the model in use now.`, explain).then((b) => {
    if (b === explain) void d.explain();
  });
  return done;
}
