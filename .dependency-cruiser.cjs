// The layering rules the design means, checked in `npm test` (scripts/check-layers.sh):
// host stages in src/<stage>/, what host and page share in src/shared/, the page in webview/.
/** Files the browser worker host runs too (dist/web, issue 21): everything but the Node host's twins in src/env/node/. */
const WEB_READY = '^(webview/|src/(?!env/node/))';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module circle makes the load order matter and the layers unreadable.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-stays-shared',
      severity: 'error',
      comment: 'src/shared is what host and page both import: nothing outside it (no vscode, no Node, no package).',
      from: { path: '^src/shared/' },
      to: { pathNot: '^src/shared/' },
    },
    {
      name: 'webview-takes-only-shared',
      severity: 'error',
      comment: 'The page runs in the webview: from the host side it may import only src/shared.',
      from: { path: '^webview/' },
      to: { path: '^(src/(?!shared/)|test/|bench/)' },
    },
    {
      name: 'webview-no-vscode',
      severity: 'error',
      comment: 'The page has no vscode module; it talks to the host through postMessage only.',
      from: { path: '^webview/' },
      to: { path: '^vscode$' },
    },
    {
      name: 'product-not-tests',
      severity: 'error',
      comment: 'What ships never imports the tests or the bench.',
      from: { path: '^(src|webview)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'web-ready-no-node',
      severity: 'error',
      comment: 'These files run in the browser worker host too: no Node built-ins. What needs Node lives in src/env/node/X, with its twin src/env/browser/X (scripts/webHostBuild.js swaps them).',
      from: { path: WEB_READY },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a broken build waiting to happen.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^vscode$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(out|dist|node_modules)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
