/**
 * Creates an admin account of the console: the first one, from which every other account is made in the
 * console. Usage:
 *
 *   npm run admin:create -- --username somchai --name "สมชาย ใจดี" --password-stdin < password.txt
 *   npm run admin:create                      (asks for what is missing; the password is not echoed)
 *
 * Uses DATABASE_URL (default sqlite:data/echannel.sqlite). Refuses a username that exists. Prints what it did,
 * never the password.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Database } from '../storage/database';
import { CLI_ACTOR, OfficerInputError, OfficerStore, UsernameTakenError } from '../console/auth/officers';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${question.replace(/:\s*$/, '')} is required (no terminal to ask on)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing the user types after the question itself.
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) out.output.write(question);
    };
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer;
}

const redact = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run admin:create -- --username <name> --name "<display name>" [--password-stdin]');
    return 0;
  }
  const username = values.username ?? (await ask('Username: '));
  const displayName = values.name ?? (await ask('Display name: '));
  let password: string;
  if (values['password-stdin']) password = await readStdin();
  else {
    password = await ask('Password (at least 10 characters): ', true);
    if ((await ask('Again: ', true)) !== password) throw new UsageError('the two passwords differ');
  }

  const url = process.env.DATABASE_URL ?? 'sqlite:data/echannel.sqlite';
  const db = await Database.open(url);
  try {
    const store = new OfficerStore(db);
    if (await store.byUsername(username)) throw new UsernameTakenError(username.trim().toLowerCase());
    const admin = await store.create(CLI_ACTOR, { username, displayName, role: 'admin', password });
    console.log(`Created admin "${admin.username}" (${admin.displayName}), id ${admin.id}, in ${redact(url)}.`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof OfficerInputError) {
      console.error('Not created:');
      for (const i of err.issues) console.error(`  ${i.path}: ${i.message}`);
    } else if (err instanceof UsernameTakenError) console.error(`Not created: the username "${err.username}" exists already.`);
    else if (err instanceof UsageError) console.error(`Not created: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
