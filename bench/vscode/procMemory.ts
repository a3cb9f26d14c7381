// Peak memory of the processes this bench started (Linux /proc): code-server's extension host and
// the Chromium that shows the workbench and its webviews. Read once per window, just before the
// window closes: VmHWM is each process's peak resident set since it started, so no sampling is
// needed and nothing runs beside the timed commands.
import * as fs from 'fs';

export type ProcKind = 'extension-host' | 'renderer' | 'gpu' | 'browser' | 'utility' | 'other';

export interface ProcPeak {
  pid: number;
  kind: ProcKind;
  /** Peak resident set (VmHWM), bytes. */
  peak_bytes: number;
  /** Resident set now (VmRSS), bytes. */
  rss_bytes: number;
}

export interface WindowMemory {
  /** The extension host's peak (the host reads the model folder and posts the model to the page). */
  host_peak_bytes: number | null;
  /** The largest Chromium renderer's peak (see `renderers`: the webview's frame may share the workbench's renderer). */
  page_peak_bytes: number | null;
  renderers: number;
  processes: ProcPeak[];
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function kB(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

function kindOf(cmd: string): ProcKind {
  if (cmd.includes('--type=extensionHost')) return 'extension-host';
  if (!cmd.includes('chromium')) return 'other';
  if (cmd.includes('--type=renderer')) return 'renderer';
  if (cmd.includes('--type=gpu-process')) return 'gpu';
  if (cmd.includes('--type=')) return 'utility';
  return 'browser';
}

/** Every living descendant of `root` (default: this process), with its peak and current memory. */
export function descendantMemory(root = process.pid): ProcPeak[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = read(`/proc/${d}/stat`);
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (Number.isInteger(ppid)) parent.set(Number(d), ppid);
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) if (p === root) return true;
    return false;
  };
  const out: ProcPeak[] = [];
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    const status = read(`/proc/${pid}/status`);
    const cmd = (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ');
    if (!status) continue;
    out.push({ pid, kind: kindOf(cmd), peak_bytes: kB(status, 'VmHWM'), rss_bytes: kB(status, 'VmRSS') });
  }
  return out;
}

export function windowMemory(procs: ProcPeak[]): WindowMemory {
  const peak = (k: ProcKind): number | null => {
    const xs = procs.filter((p) => p.kind === k).map((p) => p.peak_bytes);
    return xs.length ? Math.max(...xs) : null;
  };
  return {
    host_peak_bytes: peak('extension-host'),
    page_peak_bytes: peak('renderer'),
    renderers: procs.filter((p) => p.kind === 'renderer').length,
    processes: procs.filter((p) => p.kind !== 'other'),
  };
}
