// The Hub client's connection as the tests make it: to the local Hub, Node's own fetch.
import type { HubHttp } from '../../src/hub/http';
import type { HubServer } from './hubServer';

export function client(server: HubServer, token?: string, extra: Partial<HubHttp> = {}): HubHttp {
  return { endpoint: new URL(server.hubUrl), userAgent: 'attention-lens/0.1.0', fetch: (u, i) => fetch(u, i), ...(token ? { token } : {}), ...extra };
}
