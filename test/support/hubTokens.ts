// The tokens the local Hub (hubServer.ts) knows: one granted every gated repo, one signed in without
// that. Apart from the server so the web pass's browser bundle can name them without bundling Node's http.
export const GRANTED_TOKEN = 'hf_testgrantedtoken0000000000000000';
export const PLAIN_TOKEN = 'hf_testplaintoken00000000000000000000';
