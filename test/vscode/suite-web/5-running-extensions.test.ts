// What a user sees in VS Code for the Web: "Developer: Show Running Extensions" lists Attention Lens
// as running in the web worker (the editor marks such a row "web worker"; an extension in code-server's
// Node host would show the remote's address instead).
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { lensApi, until } from './webHelpers';

const ROWS = '.runtime-extensions-editor .monaco-list-row';
/** publisher.name: the row of an extension under development names it so (code-server 4.100 shows no displayName there). */
const ID = 'attention-lens.attention-lens';

describe('Show Running Extensions (web pass)', () => {
  it('lists Attention Lens under "web worker", activated', async () => {
    await lensApi();
    await ui.runCommand('Developer: Show Running Extensions');
    let seen: string[] = [];
    const row = await until('Attention Lens in the running extensions', async () =>
      (seen = await ui.workbenchText(ROWS, 10_000)).find((t) => t.includes('Attention Lens') || t.includes(ID)), 60_000)
      .catch(async (e: Error) => {
        const editors = await ui.workbenchText('.editor-instance', 1000);
        throw new Error(`${e.message}; rows: ${JSON.stringify(seen)}; editors: ${JSON.stringify(editors).slice(0, 600)}`);
      });
    check.ok(/web worker/.test(row), `its row says: ${row}`);
    check.ok(!/\b127\.0\.0\.1:\d+/.test(row), `its row names the server host: ${row}`);
    // Activated: the row gives its activation time (startup or by an event), not "activating".
    check.ok(/Activation: \d+\s*ms/.test(row), `no activation time in its row: ${row}`);
    await ui.log(`      running extensions: ${row.replace(/\s+/g, ' ').trim()}`);
  });
});
