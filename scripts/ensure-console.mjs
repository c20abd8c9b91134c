// Makes `npm start` (and the console's browser test) serve current pages: builds the officer console
// (console/web → console/dist) when the build is missing or older than any of its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'console', 'web');
const built = join(root, 'console', 'dist', 'index.html');

/** The newest modification time of the files under dir. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function consoleIsStale() {
  return !existsSync(built) || statSync(built).mtimeMs < newest(web);
}

export async function ensureConsole() {
  if (!consoleIsStale()) return false;
  console.error('[setup] building the officer console (console/web → console/dist) ...');
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await ensureConsole();
