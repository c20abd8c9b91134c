/**
 * The shape of the code (README, "Where things live"): layers, lowest first. A module may import its own layer and
 * the layers below it, never one above. `npm test` runs this (npm run deps:check) and fails on an upward arrow or a
 * cycle, naming both files. Entry points (scripts, tools, benchmarks, tests) may import anything.
 */
const LAYERS = [
  { name: 'ground', folders: ['line', 'runtime', 'locales', 'domain', 'config'] },
  { name: 'storage', folders: ['storage'] },
  { name: 'language', folders: ['language'] },
  { name: 'categories', folders: ['categories'] },
  { name: 'flows', folders: ['flows'] },
  { name: 'capabilities', folders: ['faq', 'office', 'notify', 'scheduler', 'handoffs', 'understanding', 'metrics', 'geo'] },
  { name: 'cases', folders: ['cases'] },
  { name: 'records', folders: ['privacy', 'petitions', 'reports'] },
  { name: 'channels', folders: ['bot', 'console', 'richmenu'] },
  { name: 'server', folders: ['server'] },
];

/** Entry points: run by a person or a test, imported by nothing of the product. */
const ENTRY_POINTS = '^(scripts|bench|tests)/|/tools/|^richmenu/(install|render)\\.ts$|^server/main\\.ts$';

const folderPattern = (folders) => `^(${folders.join('|')})/`;

const upwardRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.name}`,
  comment: `${layer.folders.join(', ')} (${layer.name}) must not import a higher layer: ${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(', ')}. Move the shared part down instead.`,
  severity: 'error',
  from: { path: folderPattern(layer.folders), pathNot: ENTRY_POINTS },
  to: { path: folderPattern(LAYERS.slice(i + 1).flatMap((l) => l.folders)) },
}));

module.exports = {
  forbidden: [
    ...upwardRules,
    {
      name: 'no-circular',
      comment: 'A cycle means two modules cannot be understood (or tested) one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-conversation-core',
      comment:
        'The engine, the input parsers, the matching and the flow definitions are pure: no database, no files, no network. ' +
        'Saving and loading belong to flows/store.ts, flows/sessions.ts and flows/files.ts.',
      severity: 'error',
      from: { path: '^flows/(engine|inputs|matching|definition|registry)/' },
      to: { path: '^(storage/|flows/(store|sessions|files)\\.ts$)|^(node:)?(fs|net|http|https|child_process)$|^(pg|better-sqlite3|typeorm)$' },
    },
    {
      name: 'pure-language-layer',
      comment: 'The language layer is pure and stands alone: it reads text and imports nothing of the product.',
      severity: 'error',
      from: { path: '^language/' },
      to: { path: '^(line|runtime|locales|domain|config|storage|categories|flows|faq|office|notify|scheduler|metrics|geo|cases|privacy|petitions|reports|bot|console|richmenu|server|emulator)/' },
    },
    {
      name: 'emulator-stands-alone',
      comment: 'The LINE emulator is a stand-in for LINE: it knows nothing of the product.',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^(runtime|locales|domain|config|storage|language|categories|flows|faq|office|notify|scheduler|metrics|cases|privacy|petitions|reports|bot|console|richmenu|server)/' },
    },
    {
      name: 'emulator-only-when-needed',
      comment:
        'The product loads the emulator only when no LINE credentials are set (a dynamic import in server/start.ts); ' +
        'its shared credentials are in emulator/credentials.ts.',
      severity: 'error',
      from: { path: '^(line|runtime|locales|domain|config|storage|language|categories|flows|faq|office|notify|scheduler|metrics|cases|privacy|petitions|reports|bot|console|richmenu|server)/', pathNot: ENTRY_POINTS },
      to: { path: '^emulator/', pathNot: '^emulator/credentials\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|public|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
