import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Passwords: argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane), about 20-40 ms a hash
 * on a server core: slow for a guesser, quick enough for a login.
 */
// Algorithm.Argon2id is an ambient const enum, which verbatimModuleSyntax cannot read: its value is 2.
const OPTIONS: Options = { algorithm: 2 as NonNullable<Options['algorithm']>, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export class WeakPasswordError extends Error {
  constructor(readonly reason: 'too_short' | 'too_long' | 'is_username') {
    super(
      reason === 'too_short'
        ? `the password must be at least ${MIN_PASSWORD_LENGTH} characters`
        : reason === 'too_long'
          ? `the password must be at most ${MAX_PASSWORD_LENGTH} characters`
          : 'the password must not be the username',
    );
    this.name = 'WeakPasswordError';
  }
}

/** The minimum policy: null when acceptable, else why not. Length in code points, so Thai counts per letter. */
export function passwordProblem(password: string, username: string): WeakPasswordError | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return new WeakPasswordError('too_short');
  if (length > MAX_PASSWORD_LENGTH) return new WeakPasswordError('too_long');
  const p = password.trim().toLowerCase();
  const u = username.trim().toLowerCase();
  if (u && (p === u || (p.includes(u) && p.length - u.length < 4))) return new WeakPasswordError('is_username');
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash opens nothing
  }
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of a real verification, for an unknown username: a wrong name and a wrong password then take
 * as long as each other.
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummy, password);
}
