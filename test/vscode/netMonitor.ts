// Records every attempt made in this process (the extension host) to reach the network beyond
// loopback: TCP and TLS connections (net.Socket.prototype.connect, which every Node client ends
// in: http, https, tls, fetch), http(s).request/get, fetch, UDP sends and DNS lookups. Installed
// by index.ts before any test runs; the last suite asserts that the extension made none.
// It only records: calls go through unchanged, so the behaviour under test is not altered.
// `import x = require()`: the modules' own objects, which other code calls through; an
// `import * as` namespace would be a copy with read-only properties.
import dgram = require('dgram');
import dns = require('dns');
import http = require('http');
import https = require('https');
import net = require('net');
import tls = require('tls');

export interface Attempt {
  /** The API that was called, e.g. 'net.Socket.connect' or 'fetch'. */
  api: string;
  /** host:port (or the URL) it was asked to reach. */
  target: string;
  /** Where the call came from. */
  stack: string;
}

const attempts: Attempt[] = [];
let installedAt: number | null = null;

/** Loopback names and addresses (IPv4 127/8, ::1, IPv4-mapped 127/8). An empty host means localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '' || h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d+\.\d+\.\d+$/.test(v4);
}

function record(api: string, host: string | undefined, port: unknown): void {
  if (isLoopback(host ?? '')) return;
  attempts.push({ api, target: `${host}:${String(port ?? '')}`, stack: new Error('network attempt').stack ?? '' });
}

function recordUrl(api: string, url: string | URL): void {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return; // not a URL: the call itself fails before touching the network
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'file:') return;
  if (isLoopback(u.hostname)) return;
  attempts.push({ api, target: u.href, stack: new Error('network attempt').stack ?? '' });
}

interface HostOptions { host?: string | null; hostname?: string | null; port?: unknown; path?: string; socketPath?: string }

/** socket.connect(options | [options, cb] | path | port, host?) → the remote, or null for a local socket. */
function socketTarget(args: unknown[]): { host: string; port: unknown } | null {
  // net.connect() passes an internal normalized [options, cb] array.
  const a = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const first = a[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as HostOptions;
    if (typeof o.path === 'string' && o.port === undefined) return null;
    return { host: o.host ?? 'localhost', port: o.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null; // a pipe or Unix socket path
  return { host: typeof a[1] === 'string' ? a[1] : 'localhost', port: first };
}

function requestTarget(api: string, args: unknown[]): void {
  const first = args[0];
  if (typeof first === 'string' || first instanceof URL) {
    recordUrl(api, first);
    return;
  }
  if (typeof first === 'object' && first !== null) {
    const o = first as HostOptions;
    if (o.socketPath) return;
    record(api, o.hostname ?? o.host ?? 'localhost', o.port);
  }
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap<T extends object>(owner: T, key: keyof T & string, api: string, onCall: (api: string, args: unknown[]) => void): void {
  const original = owner[key] as unknown as AnyFn;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    try {
      onCall(api, args);
    } catch {
      // recording must never change what the call does
    }
    return original.apply(this, args);
  };
  Object.defineProperty(owner, key, { value: wrapped, writable: true, configurable: true });
}

/** Starts recording (once per process). */
export function installNetMonitor(): void {
  if (installedAt !== null) return;
  installedAt = Date.now();
  wrap(net.Socket.prototype, 'connect', 'net.Socket.connect', (api, args) => {
    const t = socketTarget(args);
    if (t) record(api, t.host, t.port);
  });
  wrap(tls, 'connect', 'tls.connect', (api, args) => {
    const t = socketTarget(args);
    if (t) record(api, t.host, t.port);
  });
  wrap(http, 'request', 'http.request', requestTarget);
  wrap(http, 'get', 'http.get', requestTarget);
  wrap(https, 'request', 'https.request', requestTarget);
  wrap(https, 'get', 'https.get', requestTarget);
  if (typeof globalThis.fetch === 'function') {
    wrap(globalThis, 'fetch', 'fetch', (api, args) => {
      const input = args[0];
      if (typeof input === 'string' || input instanceof URL) recordUrl(api, input);
      else if (typeof input === 'object' && input !== null && 'url' in input) recordUrl(api, String((input as { url: unknown }).url));
    });
  }
  wrap(dgram.Socket.prototype, 'send', 'dgram.send', (api, args) => {
    // send(msg, [offset, length,] port[, address][, callback])
    const rest = args.slice(1).filter((v) => typeof v !== 'function');
    const port = rest.length >= 3 ? rest[2] : rest[0];
    const address = rest.length >= 3 ? rest[3] : rest[1];
    if (port !== undefined) record(api, typeof address === 'string' ? address : 'localhost', port);
  });
  wrap(dns, 'lookup', 'dns.lookup', (api, args) => {
    if (typeof args[0] === 'string') record(api, args[0], 'dns');
  });
  wrap(dns.promises, 'lookup', 'dns.promises.lookup', (api, args) => {
    if (typeof args[0] === 'string') record(api, args[0], 'dns');
  });
}

export function netMonitorInstalledAt(): number | null {
  return installedAt;
}

/** Every attempt recorded so far. */
export function networkAttempts(): readonly Attempt[] {
  return attempts;
}
