// What the launcher bakes into the web pass's test bundle (launcher/webTests.ts): a browser worker
// has no environment variables to read the driver's address from.
export interface WebTestEnv {
  driver: string;
  grep?: string;
}

declare const __ATTENTION_LENS_WEB_TEST__: WebTestEnv;

export const WEB_ENV: WebTestEnv = __ATTENTION_LENS_WEB_TEST__;
