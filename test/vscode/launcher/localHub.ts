// The local Hub for the web pass (driver request 'localHub'): test/support/hubServer.ts is a Node
// server, which a browser worker cannot start, so the launcher starts it for the test and reports
// what it saw. Its repos are built as the Node pass builds them (test/support/hubRepos.ts).
import * as fs from 'fs';
import type { HubRequestSeen, LocalHubInfo } from '../driverProtocol';
import { testRepos, type TestRepos } from '../../support/hubRepos';
import { HubServer } from '../../support/hubServer';

let running: { server: HubServer; repos: TestRepos } | undefined;

async function stop(): Promise<void> {
  if (!running) return;
  const { server, repos } = running;
  running = undefined;
  await server.close();
  fs.rmSync(repos.dir, { recursive: true, force: true });
}

/** start: a fresh Hub (any earlier one stopped); requests: what both ports received since start or the last clear. */
export async function localHub(action: 'start' | 'requests' | 'clear' | 'stop'): Promise<LocalHubInfo | HubRequestSeen[] | null> {
  if (action === 'stop') return stop().then(() => null);
  if (action === 'start') {
    await stop();
    const repos = testRepos();
    running = { server: await HubServer.start([repos.gpt2]), repos };
    return { hubUrl: running.server.hubUrl, cdnUrl: running.server.cdnUrl, repos: [{ id: repos.gpt2.id, sha: repos.gpt2.sha }] };
  }
  if (!running) throw new Error('no local Hub: start it first');
  if (action === 'clear') {
    running.server.requests.length = 0;
    return null;
  }
  return running.server.requests.map((r) => ({
    server: r.server, method: r.method, url: r.url,
    ...(r.headers.authorization !== undefined ? { authorization: r.headers.authorization } : {}),
    ...(r.headers['access-control-request-headers'] !== undefined ? { preflightHeaders: String(r.headers['access-control-request-headers']) } : {}),
    ...(r.headers.range !== undefined ? { range: r.headers.range } : {}),
  }));
}

/** For the driver's close: a Hub a failed test left running. */
export const stopLocalHub = stop;
