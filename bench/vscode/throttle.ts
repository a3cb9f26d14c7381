// A slow link between Chromium and code-server, as a remote user (Remote-SSH, Codespaces, a
// code-server over the internet) has: a TCP forwarder on loopback whose two directions are each one
// serial link of `mbit` Mbit/s shared by every connection (a token bucket without burst), plus a
// fixed half-RTT delay per direction. Bytes keep their order within each connection.
// Chromium's own CDP network emulation is not used: it does not reliably throttle WebSockets, and
// the extension host's messages to the webview cross code-server's WebSocket.
import * as net from 'net';

export interface ThrottleOptions {
  /** Where the forwarder connects (code-server). */
  targetPort: number;
  targetHost?: string;
  /** Each direction's rate. */
  mbit: number;
  /** Round-trip latency added: half of it on every chunk in each direction (default 20). */
  rttMs?: number;
}

export interface ThrottleBytes {
  /** code-server → browser */
  down_bytes: number;
  /** browser → code-server */
  up_bytes: number;
  connections: number;
}

export interface Throttle {
  readonly port: number;
  readonly origin: string;
  /** Bytes forwarded so far (cumulative; subtract two readings for one window). */
  bytes(): ThrottleBytes;
  close(): Promise<void>;
}

/** Slices a chunk is cut into, so one 64 KiB read does not arrive as a single late burst. */
const SLICE = 16 * 1024;
/** Bytes waiting in one connection's direction before its source is paused (TCP's window, roughly). */
const HIGH_WATER = 1 << 20;

/** One direction of the link: when its last scheduled byte leaves. */
class Link {
  private freeAt = 0;
  constructor(private readonly bytesPerMs: number, private readonly delayMs: number) {}
  /** When a chunk of n bytes sent now arrives at the far end. */
  schedule(n: number): number {
    const start = Math.max(performance.now(), this.freeAt);
    this.freeAt = start + n / this.bytesPerMs;
    return this.freeAt + this.delayMs;
  }
}

/**
 * One connection's direction: chunks queue in order with their arrival times; one timer at a time
 * delivers the due ones (a timer per chunk could fire out of order within a millisecond).
 */
function pipeThrough(from: net.Socket, to: net.Socket, link: Link, count: (n: number) => void): void {
  const queue: { at: number; data: Buffer }[] = [];
  let queued = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const pump = (): void => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0].at <= now) {
      const { data } = queue.shift()!;
      queued -= data.length;
      count(data.length);
      if (!to.destroyed) to.write(data);
    }
    if (queued < HIGH_WATER && from.isPaused()) from.resume();
    if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0].at - now));
    else if (ended && !to.destroyed) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i += SLICE) {
      const data = chunk.subarray(i, i + SLICE);
      queue.push({ at: link.schedule(data.length), data });
      queued += data.length;
    }
    if (queued >= HIGH_WATER) from.pause();
    if (!timer) timer = setTimeout(pump, Math.max(0, queue[0].at - performance.now()));
  });
  from.on('end', () => {
    ended = true;
    if (!timer) pump();
  });
  from.on('close', () => {
    // A reset (not a clean end) drops what is still queued, as the network would.
    if (!ended) {
      if (timer) clearTimeout(timer);
      to.destroy();
    }
  });
}

export async function startThrottle(o: ThrottleOptions): Promise<Throttle> {
  if (!(o.mbit > 0)) throw new Error(`throttle needs a rate > 0 Mbit/s, got ${o.mbit}`);
  const bytesPerMs = (o.mbit * 1e6) / 8 / 1000;
  const half = (o.rttMs ?? 20) / 2;
  const down = new Link(bytesPerMs, half);
  const up = new Link(bytesPerMs, half);
  const total: ThrottleBytes = { down_bytes: 0, up_bytes: 0, connections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    total.connections++;
    const target = net.connect({ port: o.targetPort, host: o.targetHost ?? '127.0.0.1', allowHalfOpen: true });
    for (const s of [client, target]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      // Either side failing ends the pair; the other side's 'close' handler does the rest.
      s.on('error', () => { client.destroy(); target.destroy(); });
    }
    pipeThrough(client, target, up, (n) => { total.up_bytes += n; });
    pipeThrough(target, client, down, (n) => { total.down_bytes += n; });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (typeof addr !== 'object' || !addr) throw new Error('throttle: no port');
  return {
    port: addr.port,
    origin: `http://127.0.0.1:${addr.port}`,
    bytes: () => ({ ...total }),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The difference of two readings: one window's traffic. */
export function bytesSince(before: ThrottleBytes, after: ThrottleBytes): ThrottleBytes {
  return {
    down_bytes: after.down_bytes - before.down_bytes,
    up_bytes: after.up_bytes - before.up_bytes,
    connections: after.connections - before.connections,
  };
}
