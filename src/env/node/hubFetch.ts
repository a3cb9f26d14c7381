// How the Hub client follows redirects on the Node host: by hand, each hop checked, so the token goes
// to the Hub's own origin only (src/hub/http.ts). The browser host's twin is src/env/browser/hubFetch.ts.
export const HUB_REDIRECTS: 'manual' | 'browser' = 'manual';
