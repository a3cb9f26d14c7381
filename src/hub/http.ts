// Every request to the Hub goes through here: the User-Agent and nothing else identifying, the token
// only to the endpoint's own host (never to a redirect's host: the CDN's URL is signed), 429 waited
// out as the RateLimit header says, and each status turned into a HubError the user can act on
// (huggingface_hub utils/_http.py::hf_raise_for_status). Redirects are followed by hand on Node, to
// enforce the token rule ourselves; a browser cannot (a manual redirect is opaque there), so it lets
// the browser follow: the Fetch standard drops Authorization on a cross-origin redirect.
import { HubError } from './errors';
import { repoPage } from './endpoint';

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export interface HubHttp {
  endpoint: URL;
  token?: string;
  userAgent: string;
  fetch: FetchFn;
  signal?: AbortSignal;
  /** Told before a wait for the rate limit (seconds), so the user sees why nothing moves. */
  onWait?: (seconds: number) => void;
  /** Most 429s in a row before giving up. */
  maxWaits?: number;
  /**
   * 'manual' (the default): each hop by hand, the token only to the endpoint's origin. 'browser': the
   * browser's own redirect: 'follow', which drops the token itself; no User-Agent (a browser sets its own).
   */
  redirects?: 'manual' | 'browser';
}

export interface HubResponse {
  response: Response;
  /**
   * The first answer's headers (the Hub's, before any redirect): X-Repo-Commit, X-Linked-Etag…; with
   * redirects 'browser', the last answer's (a followed redirect hides the first), so those may be absent.
   */
  hubHeaders: Headers;
}

export interface What { repo: string; file?: string }

const MAX_REDIRECTS = 5;
const MAX_WAIT_SECONDS = 300;

/** Seconds from `RateLimit: "resolvers";r=0;t=55` (or Retry-After), capped; 5 when neither says. */
export function rateLimitWait(headers: Headers): number {
  const t = /(?:^|;)\s*t=(\d+(?:\.\d+)?)/.exec(headers.get('ratelimit') ?? '');
  const seconds = t ? Number(t[1]) : Number(headers.get('retry-after') ?? '5');
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Number.isFinite(seconds) ? Math.ceil(seconds) : 5));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HubError('cancelled', 'cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new HubError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isLoopback(u: URL): boolean {
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
}

/** A fetch failure (abort, refused, reset) as a HubError. */
export function networkError(e: unknown, signal: AbortSignal | undefined, what: string): HubError {
  if (e instanceof HubError) return e;
  if (signal?.aborted) return new HubError('cancelled', 'cancelled');
  const cause = e instanceof Error ? ((e.cause instanceof Error ? e.cause.message : '') || e.message) : String(e);
  return new HubError('network', `could not reach the Hub for ${what}: ${cause}`);
}

/** GET (or HEAD) `url`, following redirects; `range` asks for bytes from that offset on. */
export async function hubGet(h: HubHttp, url: string, what: What, range?: number): Promise<HubResponse> {
  for (let waits = 0; ; waits++) {
    const r = h.redirects === 'browser' ? await followByBrowser(h, url, what, range) : await follow(h, url, what, range);
    if (r.response.status !== 429) return r;
    const seconds = rateLimitWait(r.response.headers);
    await r.response.body?.cancel().catch(() => undefined);
    if (waits >= (h.maxWaits ?? 3)) throw new HubError('rateLimited', `the Hub is rate-limiting requests (HTTP 429) for ${what.repo}; try again in ${seconds} s`);
    h.onWait?.(seconds);
    await sleep(seconds * 1000, h.signal);
  }
}

/** An address the client may read: https, or http on this machine. */
const isSecure = (u: URL): boolean => u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u));

/** One request: the token only to the endpoint's origin (compared by origin, so no other host or port gets it). */
async function fetchHop(h: HubHttp, url: URL, what: What, redirect: RequestRedirect, range?: number): Promise<Response> {
  // A browser sets its own User-Agent.
  const headers: Record<string, string> = redirect === 'manual' ? { 'user-agent': h.userAgent } : {};
  if (h.token && url.origin === h.endpoint.origin) headers.authorization = `Bearer ${h.token}`;
  if (range !== undefined && range > 0) headers.range = `bytes=${range}-`;
  try {
    return await h.fetch(url.href, { headers, redirect, signal: h.signal });
  } catch (e) {
    throw networkError(e, h.signal, what.file ? `${what.repo}/${what.file}` : what.repo);
  }
}

/** An error status as a HubError (429 is waited out by the caller). */
async function refuseError(r: Response, h: HubHttp, what: What): Promise<void> {
  if (r.status >= 400 && r.status !== 429) {
    await r.body?.cancel().catch(() => undefined);
    throw statusError(r, what, h.token !== undefined);
  }
}

async function follow(h: HubHttp, start: string, what: What, range?: number): Promise<HubResponse> {
  let url = new URL(start);
  let hubHeaders: Headers | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetchHop(h, url, what, 'manual', range);
    hubHeaders ??= response.headers;
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(response.headers.get('location')!, url);
      if (!isSecure(next)) throw new HubError('network', `the Hub redirected ${what.file ?? what.repo} to an insecure address`);
      url = next;
      continue;
    }
    await refuseError(response, h, what);
    return { response, hubHeaders };
  }
  throw new HubError('network', `too many redirects for ${what.file ?? what.repo}`);
}

/**
 * One fetch with redirect: 'follow'. The token goes only with a request to the endpoint's origin,
 * and the browser drops it if the Hub redirects to another origin (the CDN). What the redirect led to
 * is checked afterwards: an insecure final address is refused before a byte of it is used.
 */
async function followByBrowser(h: HubHttp, start: string, what: What, range?: number): Promise<HubResponse> {
  const url = new URL(start);
  const response = await fetchHop(h, url, what, 'follow', range);
  if (!isSecure(response.url ? new URL(response.url) : url)) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubError('network', `the Hub redirected ${what.file ?? what.repo} to an insecure address`);
  }
  await refuseError(response, h, what);
  return { response, hubHeaders: response.headers };
}

/** The HubError for an HTTP error status, by X-Error-Code as the Hub sends it. */
export function statusError(r: Response, what: What, hadToken: boolean): HubError {
  const code = r.headers.get('x-error-code') ?? '';
  const { repo, file } = what;
  if (code === 'GatedRepo' && r.status === 401) {
    return new HubError('signIn', `${repo} is gated: sign in: set a token ("Attention Lens: Set Hugging Face token"), and accept the terms at ${repoPage(repo)}`, repoPage(repo));
  }
  if (code === 'GatedRepo') {
    return new HubError('gated', `${repo} is gated: accept the terms at ${repoPage(repo)} (signed in with the token you set), then download again`, repoPage(repo));
  }
  if (code === 'RepoNotFound' && r.status === 404) return new HubError('noRepo', `no repo ${repo} on the Hub`);
  if (code === 'RevisionNotFound') return new HubError('noRevision', `${repo} has no such revision`);
  if (code === 'EntryNotFound' || (r.status === 404 && file)) return new HubError('noFile', `${repo} has no file ${file ?? ''}`.trim());
  if (r.status === 401 || code === 'RepoNotFound') {
    // The Hub answers 401 alike for a private repo and for none at all (deliberately).
    return new HubError('signIn', hadToken
      ? `the Hub refused the token for ${repo}: check the name, or set a token that can read it ("Attention Lens: Set Hugging Face token")`
      : `sign in: set a token ("Attention Lens: Set Hugging Face token") to read ${repo} — or check the name: the Hub answers the same for a repo that does not exist`);
  }
  if (r.status === 404) return new HubError('noRepo', `no repo ${repo} on the Hub`);
  if (r.status === 403) return new HubError('signIn', `the Hub refused access to ${repo} (HTTP 403)`);
  return new HubError('server', `the Hub answered HTTP ${r.status} for ${file ? `${repo}/${file}` : repo}`);
}

/** The JSON body of a Hub API answer, checked to be JSON. */
export async function readJson(r: Response, what: string): Promise<unknown> {
  const text = await r.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HubError('badListing', `the Hub's answer for ${what} is not JSON`);
  }
}
