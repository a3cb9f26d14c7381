// A modelPath typed in the settings, on the Node host: ~ and relative paths resolved to a local path.
// The browser host's twin is src/env/browser/userPath.ts.
import * as os from 'os';
import * as path from 'path';

/** Expands ~ and resolves a relative path against the workspace root (or the home folder). */
export function resolveUserPath(p: string, workspaceRoot: string | undefined): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(1));
  if (path.isAbsolute(p)) return path.normalize(p);
  return path.resolve(workspaceRoot ?? os.homedir(), p);
}
