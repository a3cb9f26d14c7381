// What the user is told: notifications (kept for the test API), the last error, notices shown once.
import * as vscode from 'vscode';
import type { ShownMessage } from './api';

const MAX_KEPT_MESSAGES = 100;

export class Notifier {
  private readonly shownNotices = new Set<string>();
  /** The last MAX_KEPT_MESSAGES notifications, oldest first. */
  readonly shown: ShownMessage[] = [];
  lastErrorText: string | undefined;
  /** Every notification since activation, the ones no longer kept included. */
  shownCount = 0;

  constructor(private readonly log: vscode.OutputChannel) {}

  /** Shows a message and keeps it for the test API. */
  tell(severity: ShownMessage['severity'], text: string): void {
    void this.ask(severity, text);
  }

  /** Shows a message with buttons (kept for the test API); resolves to the button pressed. */
  ask(severity: ShownMessage['severity'], text: string, ...buttons: string[]): Thenable<string | undefined> {
    this.shown.push({ severity, text });
    this.shownCount++;
    if (this.shown.length > MAX_KEPT_MESSAGES) this.shown.shift();
    const show = severity === 'error' ? vscode.window.showErrorMessage
      : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(text, ...buttons);
  }

  /** The kept notifications shown after the first `mark` (a past shownCount). */
  shownSince(mark: number): ShownMessage[] {
    const added = Math.max(0, this.shownCount - mark);
    return added === 0 ? [] : this.shown.slice(-added);
  }

  fail(text: string): void {
    this.lastErrorText = text;
    this.log.appendLine(`[error] ${text}`);
    this.tell('error', text);
  }

  noticeOnce(text: string): void {
    if (this.shownNotices.has(text)) return;
    this.shownNotices.add(text);
    this.log.appendLine(`[notice] ${text}`);
    this.tell('warning', `Attention Lens: ${text}`);
  }
}
