// "Attention Lens: Probe heads": runs the model once on a fixed probe input (random tokens, then the
// same again: src/shared/headProbe.ts) in the panel, which scores every head's roles on it; the
// scores are cached per model in globalState and sent to the panel whenever it loads that model,
// so roles a text may not show (induction needs repetition) label the heads from then on.
import * as vscode from 'vscode';
import type { LoadedModel, ModelFolder } from '../models/modelFolder';
import type { ModelManager } from '../models/modelManager';
import type { Notifier } from '../notifier';
import type { PanelConnection } from '../panel/panelConnection';
import { runRoles } from '../shared/headLabels';
import { ProbeScores, probeScoresProblem, probeTokens } from '../shared/headProbe';
import type { ProbeResultMessage, TokenInfo } from '../shared/protocol';
import { specialsFor } from '../tokenizers/tokenize';

import type { CommandTarget } from './target';

export const PROBE_HEADS = 'attentionLens.probeHeads';

/** Returns the probe's scores per layer and head (undefined when it could not run). */
export function registerProbeHeads(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(PROBE_HEADS, () => target.probeHeads());
}
/** globalState key: { [model identity]: CachedProbe }. */
export const PROBE_CACHE_KEY = 'attentionLens.headProbes';
const MAX_CACHED = 32;
const READY_TIMEOUT_MS = 120_000;
const RESULT_TIMEOUT_MS = 300_000;

interface CachedProbe { scores: ProbeScores; model: string; at: number }

export interface ProbeDeps {
  log: vscode.OutputChannel;
  notifier: Notifier;
  models: ModelManager;
  link: PanelConnection;
  state: vscode.Memento;
}

/**
 * A model's identity for the cache: its graph file, size and modification time, and its shape. The
 * time is the one the folder was loaded with (a changed file is loaded again: src/models/folderCache.ts).
 */
export function modelIdentity(loaded: LoadedModel): string {
  const m = loaded.model;
  return JSON.stringify([m.modelFile, m.sizeBytes, Math.round(m.mtimeMs), m.config.num_layers, m.config.num_heads]);
}

/** The probe for a model: its own special tokens around random ordinary tokens, twice over. */
export function probeInput(model: Pick<ModelFolder, 'config' | 'tokenizer'>): TokenInfo[] {
  const { config, tokenizer } = model;
  const { prefix, suffix } = specialsFor(tokenizer, config);
  const exclude = new Set<number>([...prefix, ...suffix].map((t) => t.id));
  for (const id of Object.values(config.special_token_ids ?? {})) if (typeof id === 'number') exclude.add(id);
  for (const name of Object.values(config.special_tokens)) {
    const id = name === undefined ? undefined : tokenizer.tokenToId(name);
    if (id !== undefined) exclude.add(id);
  }
  const vocabSize = Math.min(config.vocab_size ?? Infinity, tokenizer.maxId + 1);
  return probeTokens({ vocabSize, exclude, prefix, suffix, maxTokens: config.max_tokens });
}

export class HeadProbeCommand {
  private nextId = 0;
  private readonly waiting = new Map<number, (m: ProbeResultMessage) => void>();

  constructor(private readonly d: ProbeDeps) {}

  /** The command: probe the model the active editor's text uses; resolves to the cached scores. */
  async run(): Promise<ProbeScores | undefined> {
    const { notifier, models, link, log } = this.d;
    const doc = vscode.window.activeTextEditor?.document;
    let loaded: LoadedModel;
    try {
      loaded = await models.load(doc, doc?.getText() ?? '');
    } catch (e) {
      notifier.fail(`Attention Lens cannot probe heads: ${(e as Error).message}`);
      return undefined;
    }
    const { config } = loaded.model;
    let tokens: TokenInfo[];
    try {
      tokens = probeInput(loaded.model);
    } catch (e) {
      notifier.fail(`Attention Lens cannot probe the heads of ${config.name}: ${(e as Error).message}`);
      return undefined;
    }
    link.ensure(loaded);
    if (!(await this.d.link.whenReady(READY_TIMEOUT_MS))) {
      notifier.fail('Attention Lens cannot probe heads: the panel did not open');
      return undefined;
    }
    const probeId = ++this.nextId;
    log.appendLine(`[probe ${probeId}] ${config.name}: ${tokens.length} tokens (random tokens, then the same again)`);
    const m = await this.ask(probeId, tokens);
    if (!m || !m.scores) {
      notifier.fail(`Attention Lens could not probe the heads of ${config.name}: ${m?.error ?? 'the panel did not answer'}`);
      return undefined;
    }
    const problem = probeScoresProblem(m.scores, config.num_layers, config.num_heads);
    if (problem) {
      notifier.fail(`Attention Lens could not probe the heads of ${config.name}: ${problem}`);
      return undefined;
    }
    await this.store(loaded, m.scores);
    notifier.tell('info', `Attention Lens: probed the ${config.num_layers * config.num_heads} heads of ${config.name}: ${summary(m.scores)}. The panel labels heads with these roles from now on.`);
    return m.scores;
  }

  /** Sends the probe and waits for its result: null when the panel did not answer in time. */
  private ask(probeId: number, tokens: TokenInfo[]): Promise<Pick<ProbeResultMessage, 'scores' | 'error'> | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = new Promise<ProbeResultMessage | null>((resolve) => {
      timer = setTimeout(() => resolve(null), RESULT_TIMEOUT_MS);
      this.waiting.set(probeId, resolve);
    });
    const done = async () => {
      const sent = await this.d.link.post({ type: 'probe', probeId, tokens });
      return sent ? answered : { scores: null, error: 'the panel closed before the probe reached it' };
    };
    return done().finally(() => {
      clearTimeout(timer);
      this.waiting.delete(probeId);
    });
  }

  /** A probeResult from the panel. */
  receive(msg: ProbeResultMessage): void {
    const done = this.waiting.get(msg.probeId);
    this.waiting.delete(msg.probeId);
    done?.(msg);
  }

  /** The cached scores for a model, or null. */
  cached(loaded: LoadedModel): ProbeScores | null {
    const all = this.d.state.get<Record<string, CachedProbe>>(PROBE_CACHE_KEY, {});
    const hit = all[modelIdentity(loaded)];
    const { num_layers: layers, num_heads: heads } = loaded.model.config;
    return hit && probeScoresProblem(hit.scores, layers, heads) === null ? hit.scores : null;
  }

  /** Tells a freshly initialised panel the cached scores of its model (null: none). */
  sendCached(loaded: LoadedModel | null): void {
    if (!loaded) return;
    void this.d.link.post({ type: 'headRoles', probe: this.cached(loaded) });
  }

  private async store(loaded: LoadedModel, scores: ProbeScores): Promise<void> {
    const all = { ...this.d.state.get<Record<string, CachedProbe>>(PROBE_CACHE_KEY, {}) };
    all[modelIdentity(loaded)] = { scores, model: loaded.model.config.name, at: Date.now() };
    // Keep the newest few: each entry is a few kB per 100 heads.
    const keep = Object.entries(all).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_CACHED);
    await this.d.state.update(PROBE_CACHE_KEY, Object.fromEntries(keep));
  }
}

/** "3 induction, 5 previous-token, …" — how many heads got each role on the probe. */
function summary(scores: ProbeScores): string {
  const counts = new Map<string, number>();
  for (const row of runRoles(scores, null, {}).labels) {
    for (const labels of row) for (const l of labels) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  }
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${n} ${label}`);
  return parts.length ? parts.join(', ') : 'no head showed a clear role';
}
