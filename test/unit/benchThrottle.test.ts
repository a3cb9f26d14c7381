// The bench's slow link (bench/vscode/throttle.ts): a correctness check of its rate limit, delay and
// byte order on loopback, with generous bounds (this machine's cores are shared), not a speed target.
import * as assert from 'assert';
import * as net from 'net';
import { Throttle, bytesSince, startThrottle } from '../../bench/vscode/throttle';

/** n bytes of a pattern whose every position is checkable (a counter, not a repeat of 256). */
function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32LE((i / 4 + seed) >>> 0, i);
  return b;
}

/** A target server: `onSocket` gets each connection; closed after the test. */
async function target(onSocket: (s: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as net.AddressInfo;
  return { port: addr.port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Everything a socket sends until it ends. */
function readAll(s: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    s.on('error', reject);
  });
}

const TWO_MB = 2_000_000;

describe('bench: the throttled link to code-server', function () {
  this.timeout(30_000);
  let throttle: Throttle | null = null;
  let server: { port: number; close(): Promise<void> } | null = null;
  afterEach(async () => {
    await throttle?.close();
    await server?.close();
    throttle = null;
    server = null;
  });

  it('sends 2 MB up at 40 Mbit/s in no less than 0.35 s, intact and in order', async () => {
    const data = pattern(TWO_MB, 7);
    let onReceived: (b: Buffer) => void = () => undefined;
    const received = new Promise<Buffer>((r) => { onReceived = r; });
    server = await target((s) => { void readAll(s).then((b) => { onReceived(b); s.end('ok'); }, () => s.destroy()); });
    throttle = await startThrottle({ targetPort: server.port, mbit: 40, rttMs: 0 });
    const c = await connect(throttle.port);
    const reply = readAll(c);
    const t0 = performance.now();
    c.end(data);
    assert.strictEqual((await reply).toString(), 'ok');
    const secs = (performance.now() - t0) / 1000;
    assert.ok(secs >= 0.35, `2 MB at 40 Mbit/s took ${secs.toFixed(3)} s`);
    assert.ok(secs < 10, `took ${secs.toFixed(3)} s`);
    assert.ok((await received).equals(data), 'bytes changed or reordered');
    const b = throttle.bytes();
    assert.strictEqual(b.up_bytes, TWO_MB);
    assert.strictEqual(b.down_bytes, 2);
    assert.strictEqual(b.connections, 1);
  });

  it('sends 2 MB down at 40 Mbit/s in no less than 0.35 s, intact and in order', async () => {
    const data = pattern(TWO_MB, 99);
    server = await target((s) => { s.resume(); s.end(data); });
    throttle = await startThrottle({ targetPort: server.port, mbit: 40, rttMs: 0 });
    const before = throttle.bytes();
    const t0 = performance.now();
    const c = await connect(throttle.port);
    const got = await readAll(c);
    const secs = (performance.now() - t0) / 1000;
    c.end();
    assert.ok(secs >= 0.35, `2 MB at 40 Mbit/s took ${secs.toFixed(3)} s`);
    assert.ok(got.equals(data), 'bytes changed or reordered');
    assert.strictEqual(bytesSince(before, throttle.bytes()).down_bytes, TWO_MB);
  });

  it('shares one rate among connections, as one link does', async () => {
    const data = [pattern(TWO_MB / 2, 1), pattern(TWO_MB / 2, 2)];
    let k = 0;
    server = await target((s) => { s.resume(); s.end(data[k++]); });
    throttle = await startThrottle({ targetPort: server.port, mbit: 40, rttMs: 0 });
    const t0 = performance.now();
    const [a, b] = await Promise.all([connect(throttle.port), connect(throttle.port)]);
    const got = await Promise.all([readAll(a), readAll(b)]);
    const secs = (performance.now() - t0) / 1000;
    a.end();
    b.end();
    assert.ok(secs >= 0.35, `2 × 1 MB at 40 Mbit/s took ${secs.toFixed(3)} s`);
    // Which connection the server saw first is not fixed; each must be one whole pattern.
    const sorted = got.sort((x, y) => x.readUInt32LE(0) - y.readUInt32LE(0));
    assert.ok(sorted[0].equals(data[0]) && sorted[1].equals(data[1]), 'bytes changed, mixed or reordered');
  });

  it('adds the round trip to a small exchange', async () => {
    server = await target((s) => { s.on('data', (c: Buffer) => s.write(c)); s.on('end', () => s.end()); });
    throttle = await startThrottle({ targetPort: server.port, mbit: 1000, rttMs: 100 });
    const c = await connect(throttle.port);
    const t0 = performance.now();
    const echoed = new Promise<Buffer>((r) => c.once('data', r));
    c.write('ping');
    assert.strictEqual((await echoed).toString(), 'ping');
    const ms = performance.now() - t0;
    c.destroy();
    assert.ok(ms >= 95, `round trip ${ms.toFixed(1)} ms with 100 ms added`);
  });

  it('refuses a rate that is not positive', async () => {
    await assert.rejects(startThrottle({ targetPort: 1, mbit: 0 }), /rate > 0/);
  });
});
