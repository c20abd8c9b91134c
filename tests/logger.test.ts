import { describe, expect, it } from 'vitest';
import { builtServerArgs } from './support/built-server';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, maskPersonalNumbers, SAID_IN_MESSAGE } from '../runtime/logger';

const root = join(import.meta.dirname, '..');

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs carry no secrets and no personal numbers', () => {
  it.each([
    ['1103700012345', '[national-id]'],
    ['1-1037-00012-34-5', '[national-id]'],
    ['๑๑๐๓๗๐๐๐๑๒๓๔๕', '[national-id]'],
    ['0812345678', '[phone]'],
    ['081-234-5678', '[phone]'],
    ['+66812345678', '[phone]'],
    ['042611817', '[phone]'],
    ['042-611817', '[phone]'],
  ])('masks %s', (number, mask) => {
    expect(maskPersonalNumbers(`เบอร์ ${number} ครับ`)).toBe(`เบอร์ ${mask} ครับ`);
  });

  it('leaves ordinary numbers alone', () => {
    expect(maskPersonalNumbers('เรื่องที่ 12 วันที่ 25/11/2569 เวลา 10:30')).toBe('เรื่องที่ 12 วันที่ 25/11/2569 เวลา 10:30');
  });

  it('masks numbers inside logged objects and messages, and redacts tokens and signatures', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        event: { text: 'บัตร 1103700012345 โทร 0812345678' },
        req: { headers: { authorization: 'Bearer abc', 'x-line-signature': 'sig' } },
        channelAccessToken: 'tok',
      },
      'from 0898765432',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/1103700012345|0812345678|0898765432|Bearer abc|"sig"|"tok"/);
    expect(out).toContain('[national-id]');
    expect(out).toContain('[redacted]');
  });
});

/** A stream that says it is a terminal, as process.stdout does in a shell. */
function terminal() {
  const t = capture();
  const stream = new Writable({
    write(chunk, _enc, cb) {
      t.lines.push(String(chunk));
      cb();
    },
  });
  Object.assign(stream, { isTTY: true });
  return { stream, lines: t.lines };
}

const ESC = '\u001b[';

describe('logs for people and for machines', () => {
  it('writes pretty, coloured lines to a terminal, still masked and redacted', () => {
    const { stream, lines } = terminal();
    const logger = createLogger('info', stream);
    logger.info({ channelAccessToken: 'tok', event: { text: 'โทร 0812345678' } }, 'webhook: events stored');
    const out = lines.join('');
    expect(out).toContain('INFO');
    expect(out).toContain('webhook: events stored');
    expect(out).toContain(ESC); // colours
    expect(out).toContain('[phone]');
    expect(out).toContain('[redacted]');
    expect(out).not.toMatch(/0812345678|"tok"/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('leaves the colours out when asked (NO_COLOR)', () => {
    const { stream, lines } = terminal();
    createLogger('info', stream, { colour: false }).info('no colours');
    expect(lines.join('')).toContain('INFO');
    expect(lines.join('')).not.toContain(ESC);
  });

  it('writes one JSON object a line anywhere else: a pipe, a file, journald', () => {
    const { logger, lines } = capture();
    logger.info({ chatId: 'U1' }, 'webhook: events stored');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, service: 'echannel', chatId: 'U1', msg: 'webhook: events stored' });
    expect(lines[0]).not.toContain(ESC);
  });

  it('keeps out of the pretty lines the facts a message already says, and keeps them in JSON', () => {
    const { stream, lines } = terminal();
    createLogger('info', stream).info({ [SAID_IN_MESSAGE]: { version: '9.9.9' } }, 'E-Channel 9.9.9 is running');
    expect(lines.join('')).not.toContain('version');
    const json = capture();
    json.logger.info({ [SAID_IN_MESSAGE]: { version: '9.9.9' } }, 'E-Channel 9.9.9 is running');
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ [SAID_IN_MESSAGE]: { version: '9.9.9' } });
  });
});

describe('the start-up banner of the real server', () => {
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), 'echannel-banner-'));
    return {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      DATA_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
      OPS_TOKEN: 'banner-test-ops-token-0123456789',
      TERM: 'xterm',
    };
  };

  /** Runs `npm start`'s server until `until` is in its output, then stops it; returns the output. */
  async function run(command: string, args: string[], until: RegExp): Promise<string> {
    const child = spawn(command, args, { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const deadline = Date.now() + 30_000;
      while (!until.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no banner; the output was:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    } finally {
      // The process group: `script` and the server under it.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }

  it('in a terminal: one short block saying what runs and where, in colour', async () => {
    // `script` gives the server a real terminal (a pseudo-terminal), as `npm start` in a shell has.
    const out = await run('script', ['-qfec', `${process.execPath} ${builtServerArgs().join(' ')}`, '/dev/null'], /metrics[^\n]*\n/);
    const text = out.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(out).toContain(ESC);
    const block = text.slice(text.indexOf('E-Channel'));
    expect(block).toMatch(/E-Channel \S+ is running\n {2}listening +127\.0\.0\.1:\d+\n {2}webhook +http:\/\/127\.0\.0\.1:\d+\/webhook\n {2}console +http:\/\/127\.0\.0\.1:\d+\/console\n {2}LINE +the local LINE emulator \(no LINE credentials\): chat at http:\/\/127\.0\.0\.1:\d+\/simulator\n {2}database +SQLite \S+db\.sqlite\n {2}data key +DATA_KEY \(from the environment\)\n {2}metrics +http:\/\/127\.0\.0\.1:\d+\/metrics \(bearer OPS_TOKEN\)/);
    expect(text).not.toMatch(/^\{/m);
  }, 60_000);

  it('piped: JSON lines, the banner among them with the same facts as fields', async () => {
    const out = await run(process.execPath, builtServerArgs(), /is running.*\n/);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const banner = lines.find((l) => String(l.msg).includes('is running'))!;
    expect(banner[SAID_IN_MESSAGE]).toMatchObject({ host: '127.0.0.1', line: 'emulator', metrics: true });
    expect(String(banner.msg)).toContain('\n  webhook ');
    expect(out).not.toContain(ESC);
  }, 60_000);
});
