// Where the Hub is and how its URLs are spelled (huggingface_hub constants.py / hf_hub_url):
// {endpoint}/{repo}/resolve/{revision}/{path}, the revision encoded whole, the path keeping its '/'.
import { HubError } from './errors';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/**
 * The endpoint from HF_ENDPOINT, else the setting, else the Hub. Only https, or plain http to this
 * machine (the tests' local Hub): a token must never cross the network in the clear.
 */
export function chooseEndpoint(fromEnv: string | undefined, fromSetting: string | undefined): URL {
  const raw = (fromEnv ?? '').trim() || (fromSetting ?? '').trim() || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HubError('badEndpoint', `the Hub endpoint "${raw}" is not a URL`);
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new HubError('badEndpoint', `the Hub endpoint ${raw} must use https (plain http only for 127.0.0.1 or localhost)`);
  }
  if (url.username || url.password || url.search || url.hash) throw new HubError('badEndpoint', `the Hub endpoint ${raw} must be a plain address`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/**
 * A repo id from what the user typed: `org/name`, or a Hub URL (https://huggingface.co/org/name,
 * …/tree/main, …/blob/main/x). Undefined when it is neither.
 */
export function parseRepoId(input: string): string | undefined {
  let s = input.trim();
  const m = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(.*)$/i.exec(s);
  if (m) s = (m[1] ?? '').split(/[?#]/)[0]!.replace(/^models\//, '').split('/').slice(0, 2).join('/');
  if (!REPO_ID.test(s) || s.includes('..') || /(^|\/)[.-]|[.-](\/|$)/.test(s)) return undefined;
  return s;
}

function base(endpoint: URL): string {
  return endpoint.origin + endpoint.pathname.replace(/\/+$/, '');
}

export function infoUrl(endpoint: URL, repo: string, revision: string): string {
  return `${base(endpoint)}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
}

export function treeUrl(endpoint: URL, repo: string, revision: string): string {
  return `${base(endpoint)}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true&expand=false`;
}

export function resolveUrl(endpoint: URL, repo: string, revision: string, file: string): string {
  return `${base(endpoint)}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** The page where a gated repo's terms are accepted: always the public Hub's. */
export function repoPage(repo: string): string {
  return `${DEFAULT_ENDPOINT}/${repo}`;
}
