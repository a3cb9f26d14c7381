// "Attention Lens: Set Hugging Face token": kept in VS Code's secret storage (the OS keychain), never
// in settings or logs. Needed only for gated or private repos.
import * as vscode from 'vscode';
import { envToken } from '../hub/cache';
import type { HubEnv, HubFiles } from '../hub/files';

export const SET_HUB_TOKEN = 'attentionLens.setHubToken';
const SECRET_KEY = 'attentionLens.huggingFaceToken';

/** The token set here wins (the user chose it in VS Code), else HF_TOKEN, else $HF_HOME/token. */
export async function hubToken(secrets: vscode.SecretStorage, env: HubEnv, files: HubFiles): Promise<string | undefined> {
  return (await secrets.get(SECRET_KEY)) || (await envToken(env, files));
}

/** `arg`, a string, skips the input box ('' removes the token). Returns whether a token is now stored. */
export async function setHubToken(secrets: vscode.SecretStorage, arg?: unknown): Promise<boolean> {
  const typed = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
    title: 'Attention Lens: Hugging Face token', password: true, ignoreFocusOut: true,
    prompt: 'A read token from https://huggingface.co/settings/tokens, for gated or private repos. Empty removes the stored one.',
    validateInput: (v) => (v.trim() === '' || /^hf_[A-Za-z0-9]{20,}$/.test(v.trim()) ? undefined : 'A Hugging Face token starts with hf_ followed by letters and digits'),
  });
  if (typed === undefined) return (await secrets.get(SECRET_KEY)) !== undefined;
  if (typed.trim() === '') {
    await secrets.delete(SECRET_KEY);
    return false;
  }
  await secrets.store(SECRET_KEY, typed.trim());
  return true;
}
