// What the numbers were taken on: results.json's "machine", plus the load average, since the
// cores may be shared with other work (a training job) and the timings move with it.
import { execFileSync } from 'child_process';
import * as os from 'os';

export interface Machine {
  cpus: number;
  model: string;
  memGiB: number;
  node: string;
  chromium: string | null;
  platform: string;
  /** 1, 5 and 15 minute load averages when the benchmark started and when it ended. */
  loadavgStart: number[];
  loadavgEnd: number[] | null;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function chromiumVersion(): string | null {
  try {
    // Debian's wrapper script prints a shell warning on stderr; only the version line matters.
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const loadavg = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    chromium: chromiumVersion(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadavgStart: loadavg(),
    loadavgEnd: null,
  };
}

export function finishMachine(m: Machine): Machine {
  return { ...m, loadavgEnd: loadavg() };
}
