// The VS Code user settings the launchers write before code-server starts: a quiet, deterministic
// workbench (no welcome page, tips, update or trust prompts), and workspace trust on for the pass
// that tests an untrusted workspace.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

// With trust on, the folder opens untrusted (restricted mode) without a modal prompt.
export const TRUST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/**
 * The web pass: the extension runs in the browser worker extension host, as on vscode.dev. The
 * workbench URL's ["extensionDevelopmentKind","web"] alone does not do it in VS Code 1.100's browser
 * workbench (its environment service exposes that entry as extensionDevelopmentLocationKind, while
 * the running-location tracker reads extensionDevelopmentKind); remote.extensionKind does.
 */
export const WEB_SETTINGS: Record<string, unknown> = {
  'remote.extensionKind': { 'attention-lens.attention-lens': ['web'] },
};

/** code-server's entry.js, installed (once, cached) by scripts/install-code-server.sh. */
export function codeServerEntry(repo: string): string {
  const out = execFileSync('bash', [path.join(repo, 'scripts', 'install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const entry = out.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(entry)) throw new Error(`install-code-server.sh printed no entry point: ${out}`);
  return entry;
}
