// The import graph's rules (`npm run graph`): no circle, and no arrow running up a layer.
// The layers are written down in docs/layers.md; keep the two in step.
//
// A layer may import the layers below it and its own; never one above. Each entry is a path regex.

/** Top to bottom. */
const layers = [
  { name: 'entry', why: 'the server start and the CLI', paths: ['^src/main\\.ts$', '^src/cli/'] },
  {
    name: 'composition',
    why: 'wires the app, the jobs and the readiness check together',
    paths: ['^src/app\\.ts$', '^src/jobs/', '^src/readiness\\.ts$', '^src/chat-services\\.ts$'],
  },
  {
    name: 'surfaces',
    why: 'HTTP surfaces: the console, the home page, the metrics endpoint, the channel adapters',
    paths: ['^src/console/', '^src/home/', '^src/metrics/(?!metrics\\.ts$)', '^adapters/'],
  },
  { name: 'http', why: 'HTTP plumbing shared by the surfaces', paths: ['^src/http/'] },
  {
    name: 'services',
    why: "outbound delivery, list imports, the demo generator, the district's saved lists",
    paths: ['^src/delivery/', '^src/import/', '^src/demo/', '^src/district-with-lists\\.ts$'],
  },
  {
    name: 'infrastructure',
    why: 'the store, the registry that opens it, and the clients of the outside world (geo lookups, spreadsheets, password hashing)',
    paths: ['^src/store/', '^src/repositories\\.ts$', '^src/geo/', '^src/sheets/', '^src/passwords/'],
  },
  {
    name: 'ports',
    why: "every repository by name, typed by the domain's interfaces (and the flows' conversation store)",
    paths: ['^src/ports\\.ts$'],
  },
  { name: 'flows', why: 'the channel-agnostic chat flows', paths: ['^flows/'] },
  { name: 'domain', why: 'entities, rules, words and ports', paths: ['^src/domain/'] },
  {
    name: 'base',
    why: 'configuration, logging, version, keys, heartbeats, metric instruments',
    paths: [
      '^src/config\\.ts$',
      '^src/log\\.ts$',
      '^src/version\\.ts$',
      '^src/access-record-key\\.ts$',
      '^src/pseudonym-key\\.ts$',
      '^src/health\\.ts$',
      '^src/in-flight\\.ts$',
      '^src/whole-reads\\.ts$',
      '^src/metrics/metrics\\.ts$',
    ],
  },
];

const any = (paths) => paths.join('|');

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'A circle means two files are one job split badly: give the shared part its own file.',
    from: {},
    to: { circular: true },
  },
  {
    name: 'not-to-unresolvable',
    severity: 'error',
    comment: 'Every import resolves (a missing file would hide an arrow).',
    from: {},
    to: { couldNotResolve: true },
  },
];

layers.forEach((layer, i) => {
  const above = layers.slice(0, i).flatMap((l) => l.paths);
  if (above.length === 0) return;
  forbidden.push({
    name: `up-from-${layer.name}`,
    severity: 'error',
    comment: `${layer.name} (${layer.why}) may not import a layer above it (see docs/layers.md).`,
    from: { path: any(layer.paths) },
    to: { path: any(above) },
  });
});

forbidden.push({
  name: 'in-a-layer',
  severity: 'error',
  comment:
    'Every file of src/, adapters/ and flows/ belongs to a layer: add a new top-level file or folder to the list.',
  from: { path: '^(src|adapters|flows)/', pathNot: any(layers.flatMap((l) => l.paths)) },
  to: {},
});
forbidden.push({
  name: 'in-a-layer',
  severity: 'error',
  comment:
    'Every file of src/, adapters/ and flows/ belongs to a layer: add a new top-level file or folder to the list.',
  from: {},
  to: { path: '^(src|adapters|flows)/', pathNot: any(layers.flatMap((l) => l.paths)) },
});

/** Peers that stay apart even though they share a layer. */
forbidden.push(
  {
    name: 'surfaces-apart',
    severity: 'error',
    comment:
      'The console, the home page, the metrics endpoint and the adapters do not import each other; share through src/http/ or below.',
    from: { path: '^(src/console|src/home|src/metrics|adapters)/' },
    to: { path: '^(src/console|src/home|src/metrics|adapters)/', pathNot: ['^$1/', '^src/metrics/metrics\\.ts$'] },
  },
  {
    name: 'services-apart',
    severity: 'error',
    comment:
      'Delivery, list imports and the demo generator do not import each other; share through the store or the domain.',
    from: { path: '^src/(delivery|import|demo)/' },
    to: { path: '^src/(delivery|import|demo)/', pathNot: '^src/$1/' },
  },
  {
    name: 'imports-are-not-chats',
    severity: 'error',
    comment: 'List imports and delivery are not the chat: shared field rules live in src/domain/.',
    from: { path: '^src/(import|delivery)/' },
    to: { path: '^flows/' },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^test/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages' subpath exports (grammy/types, @hyunbinseo/holidays-kr/all) as Node and tsc do.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      // `npm run -s graph -- --output-type dot`: one box per folder of our own code, no packages.
      dot: {
        collapsePattern: '^(src/[^/]+|adapters|flows)(/|$)',
        filters: { includeOnly: { path: '^(src|adapters|flows)/' } },
      },
    },
  },
};
