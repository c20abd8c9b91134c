/**
 * Started detached next to each --baseline worktree (`node --import tsx worktree-janitor.ts <runner pid> <parent>
 * <dir>`): removes the worktree when the runner died without removing it. The runner removes it itself on exit,
 * error and signal, but it can be killed outright: `tsx` (which `npm run bench` goes through) SIGKILLs its child when
 * the child does not confirm a Ctrl-C within 30 ms, which a busy runner on a loaded machine misses. Detached, in its
 * own session, so the terminal's Ctrl-C does not reach it. Exits as soon as the worktree is gone.
 */
import { existsSync } from 'node:fs';
import { removeTree } from './baseline';

const [pidArg, parent, dir] = process.argv.slice(2);
const runner = Number(pidArg);
if (!Number.isInteger(runner) || !parent || !dir) {
  console.error('usage: worktree-janitor.ts <runner pid> <parent dir> <worktree dir>');
  process.exit(2);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

setInterval(() => {
  if (!existsSync(parent)) process.exit(0);
  if (alive(runner)) return;
  removeTree(parent, dir);
  process.exit(0);
}, 500);
