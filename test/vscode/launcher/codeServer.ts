// Starts code-server (the real VS Code server, installed by scripts/install-code-server.sh) on a free
// loopback port with a fresh user-data-dir and XDG dirs, and stops its whole process group.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  /** The last lines code-server printed (for failure messages). */
  tail(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** code-server's out/node/entry.js */
  entry: string;
  /** Temp folder this server owns (user data, extensions, XDG dirs). */
  home: string;
  /** Extra environment for the server and so for the extension host it forks. */
  env?: Record<string, string>;
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** Leave VS Code's workspace trust on (the default start turns it off with --disable-workspace-trust). */
  workspaceTrust?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const port = await freePort();
  const dirs = {
    userData: path.join(opts.home, 'user-data'),
    extensions: path.join(opts.home, 'extensions'),
    config: path.join(opts.home, 'xdg-config'),
    data: path.join(opts.home, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  if (opts.settings) {
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }
  const args = [
    opts.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
  ];
  const lines: string[] = [];
  // detached: its own process group, so stop() also ends the extension hosts it forked.
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, ...opts.env },
  });
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.on('exit', () => { exited = true; resolve(); }));

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await get(`${origin}/healthz`)) !== 200) {
    if (exited) throw new Error(`code-server exited during start:\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`code-server did not answer /healthz within 60 s:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    port,
    origin,
    tail: () => lines.slice(-40).join('\n'),
    async stop() {
      // The whole group: extension hosts outlive their server otherwise.
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* group already gone */ }
      await Promise.race([exitedP, new Promise((r) => setTimeout(r, 5000))]);
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group already gone */ }
    },
  };
}
