/**
 * The server as `npm start` runs it: build/server.mjs, made by scripts/build-server.mjs from the working tree. Built
 * once per test process, the first time a test asks, so a test never runs an older build than the code it tests.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
let built = false;

/** The arguments for `node` that start the built server (from the repository as working directory). */
export function builtServerArgs(): string[] {
  if (!built) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs')], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  return ['build/server.mjs'];
}
