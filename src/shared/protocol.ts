// The one message protocol between the extension host and the webview. Both sides import this
// module; every message that arrives is checked with parseToWebview / parseToHost and dropped
// (and logged) when it does not match. Its parts, in protocol/: the shared types (common), each
// direction's messages (toWebview, toHost), the checks of shared parts (fields) and the tables (parse).
export * from './protocol/common';
export * from './protocol/toWebview';
export * from './protocol/toHost';
export { MAX_VARIANTS } from './protocol/fields';
export { parseToHost, parseToWebview } from './protocol/parse';
