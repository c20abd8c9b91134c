/**
 * `--baseline <ref>`: the committed code of another git ref, checked out in a detached worktree in a temp dir, so
 * that the benchmark can run it next to the working tree in the same run (a machine's speed varies from run to run;
 * a before/after comparison is only fair within one run). The worktree borrows the project's node_modules through
 * a symlink: the baseline is the ref's code on today's dependencies.
 *
 * Every worktree made here is registered, and removed by `removeAllWorktrees()` (synchronous, so that it also runs
 * from process 'exit'), so none is left in `git worktree list` after a run, an error or a Ctrl-C.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './procs';

/** A problem with the ref or the repository, said before any process starts (the runner exits with 2). */
export class BaselineError extends Error {}

export interface Worktree {
  /** The ref as given, e.g. HEAD~1. */
  ref: string;
  commit: string;
  short: string;
  /** The checkout: cwd of the baseline bot. */
  dir: string;
  /** e.g. `baseline (HEAD~1 = 9cd0525)`. */
  label: string;
  /** Idempotent and synchronous. */
  remove(): void;
}

const live = new Set<Worktree>();
const JANITOR = join(import.meta.dirname, 'worktree-janitor.ts');

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** git's own message (its stderr) from a failed execFileSync, for the error shown to the user. */
function gitMessage(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' ? stderr.trim() : '';
  return text || (err instanceof Error ? err.message : String(err));
}

/** The commit a ref names, or a BaselineError: checked before anything is created. */
export function resolveRef(ref: string): { commit: string; short: string } {
  // A ref starting with '-' would be read by git as an option.
  if (ref === '' || ref.startsWith('-')) throw new BaselineError(`--baseline: "${ref}" is not a git ref`);
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new BaselineError(`--baseline: "${ref}" does not name a commit in ${ROOT} (try HEAD~1, a commit hash or a branch)`);
  }
  return { commit, short: git(['rev-parse', '--short', commit]) };
}

/**
 * A detached worktree of `ref` in a fresh temp dir, with node_modules linked to the project's. Throws a
 * BaselineError (and leaves nothing behind) when the ref is unknown or git refuses the worktree.
 */
export function addWorktree(ref: string): Worktree {
  const { commit, short } = resolveRef(ref);
  let parent: string;
  try {
    parent = mkdtempSync(join(tmpdir(), 'echannel-baseline-'));
  } catch (err) {
    throw new BaselineError(`--baseline ${ref}: no temp dir for the worktree: ${gitMessage(err)}`);
  }
  const dir = join(parent, 'tree');
  try {
    git(['worktree', 'add', '--detach', dir, commit]);
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    throw new BaselineError(`--baseline ${ref}: git worktree add failed: ${gitMessage(err)}`);
  }
  const janitor = startJanitor(parent, dir);
  let removed = false;
  const tree: Worktree = {
    ref,
    commit,
    short,
    dir,
    // A hash needs no second spelling; a name (HEAD~1, main) gets the commit it meant at the time of the run.
    label: /^[0-9a-f]{4,40}$/i.test(ref) && commit.startsWith(ref.toLowerCase()) ? `baseline (${short})` : `baseline (${ref} = ${short})`,
    remove() {
      if (removed) return;
      removed = true;
      live.delete(tree);
      // First, so that it does not remove the tree at the same time.
      janitor?.kill();
      removeTree(parent, dir);
    },
  };
  live.add(tree);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (err) {
    tree.remove();
    throw new BaselineError(`--baseline ${ref}: could not link node_modules into the worktree: ${gitMessage(err)}`);
  }
  return tree;
}

/** The worktree's safety net for a runner killed outright (see worktree-janitor.ts); undefined if it cannot start. */
function startJanitor(parent: string, dir: string): ReturnType<typeof spawn> | undefined {
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', JANITOR, String(process.pid), parent, dir], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    child.unref();
    return child;
  } catch {
    return undefined;
  }
}

/** Removes the worktree `dir` and its temp `parent`; exported for the janitor. */
export function removeTree(parent: string, dir: string): void {
  // The symlink goes first, so that nothing that removes the checkout can ever reach the project's node_modules.
  const link = join(dir, 'node_modules');
  try {
    if (lstatSync(link).isSymbolicLink()) unlinkSync(link);
  } catch {
    // not there
  }
  try {
    // --force: the bot may have left untracked files (logs, data) in its checkout.
    git(['worktree', 'remove', '--force', dir]);
  } catch (err) {
    if (existsSync(dir)) console.error(`[bench] git worktree remove ${dir}: ${gitMessage(err)}`);
    rmSync(parent, { recursive: true, force: true });
    // The directory is gone now; prune drops git's record of it (and of no live worktree: prune only forgets
    // worktrees whose directory is missing).
    try {
      git(['worktree', 'prune']);
    } catch {
      // best effort
    }
    return;
  }
  rmSync(parent, { recursive: true, force: true });
}

/** Last resort, synchronous: from process 'exit' and the signal handlers. */
export function removeAllWorktrees(): void {
  for (const t of [...live]) t.remove();
}
