// A modelPath typed in the settings, in the browser host: a Uri (what Choose model… writes there) is
// used as it is, a relative path is taken inside the workspace folder. A disk path (absolute or ~)
// is kept as typed: the browser's ModelFs refuses it, saying what to do instead.
import { uriJoin } from './uriModelFs';

// scheme:/path too (vscode-userdata:/User/globalStorage/…: where Download model… puts models); a drive letter is one letter, so C:/ is no scheme.
const URI = /^[a-z][\w+.-]+:\//i;

export function resolveUserPath(p: string, workspaceRoot: string | undefined): string {
  if (URI.test(p) || workspaceRoot === undefined) return p;
  if (p.startsWith('/') || p.startsWith('~') || /^[a-z]:[\\/]/i.test(p) || p.startsWith('\\')) return p;
  return uriJoin(workspaceRoot, p);
}
