// Makes `npm start` (and the console's browser test) serve current pages: builds the officer console
// (console/web → console/dist) when the build is missing or older than any of its sources: the files under
// console/web and every file they import from the rest of the project (the flow editor bundles flows/registry, the
// language pages language/intents, ...), followed import by import, so that a change there rebuilds the pages too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'console', 'web');
const built = join(root, 'console', 'dist', 'index.html');

/** Every file under dir. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

// Imports that put code in the bundle: `import x from`, `export … from`, `import './x'` and `import('./x')`; not
// `import type` (erased), so a type shared with the server does not rebuild the pages.
const STATIC_IMPORT = /^\s*(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
const BARE_IMPORT = /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function importsOf(source) {
  const specs = [];
  for (const m of source.matchAll(STATIC_IMPORT)) if (!m[1]) specs.push(m[2]);
  for (const m of source.matchAll(BARE_IMPORT)) specs.push(m[1]);
  for (const m of source.matchAll(DYNAMIC_IMPORT)) specs.push(m[1]);
  return specs;
}
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '.json', '/index.ts', '/index.tsx'];

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const ext of EXTENSIONS) {
    const path = base + ext;
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  // TypeScript's ESM style: './x.js' names './x.ts'.
  const ts = base.replace(/\.m?js$/, (m) => (m === '.mjs' ? '.mts' : '.ts'));
  return ts !== base && existsSync(ts) ? ts : null;
}

/** The files of console/web and, transitively, every project file they import by a relative path. */
export function consoleSources() {
  const seen = new Set();
  const queue = filesUnder(web);
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(m?ts|tsx|m?js)$/.test(file) || file.includes(`${join('node_modules')}`)) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const found = resolveImport(file, spec);
      if (found && !seen.has(found)) queue.push(found);
    }
  }
  return seen;
}

export function consoleIsStale() {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  for (const file of consoleSources()) if (statSync(file).mtimeMs > builtAt) return true;
  return false;
}

export async function ensureConsole() {
  if (!consoleIsStale()) return false;
  console.error('[setup] building the officer console (console/web → console/dist) ...');
  // Always React's production build: Vite takes NODE_ENV from the environment when it is set, and a test runner sets
  // it to "test" (React's development build then: two to three times the work per page, and its warnings).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await ensureConsole();
