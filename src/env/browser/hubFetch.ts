// How the Hub client follows redirects in the browser worker host: a manual redirect is opaque to a
// page (no Location, status 0), so the browser follows it; the Fetch standard drops Authorization when
// the redirect leaves the Hub's origin, which keeps the token off the CDN as on Node. The Node host's
// twin is src/env/node/hubFetch.ts.
export const HUB_REDIRECTS: 'manual' | 'browser' = 'browser';
