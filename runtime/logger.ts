import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Logs without secrets or personal numbers: JSON lines for a machine (a file, journald, a log shipper), and
 * pretty, coloured lines for a person at a terminal. Which one is decided by the output itself: a TTY gets the
 * pretty lines, anything else JSON, so `npm start` in a terminal is readable and the same server under systemd
 * writes JSON without a setting. The masking and redaction below run first in both.
 *
 * Secrets and personal numbers: Headers and settings that carry credentials are removed by
 * path; national ID numbers and phone numbers are masked wherever they appear in a logged string, because a
 * citizen types them into free text too.
 */
const THAI_DIGITS = /[๐-๙]/g;
const toArabic = (s: string) => s.replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50));
// 13 digits, possibly grouped 1-2345-67890-12-3 or spaced.
const NATIONAL_ID = /(?<![\d])\d[-\s]?\d{4}[-\s]?\d{5}[-\s]?\d{2}[-\s]?\d(?![\d])/g;
// Thai mobiles and landlines, local (0...) or international (+66 / 66).
const PHONE = /(?<![\d+])(?:\+?66[-\s]?|0)(?:\d[-\s]?){7,8}\d(?![\d])/g;

export function maskPersonalNumbers(text: string): string {
  if (!/[\d๐-๙]/.test(text)) return text;
  return toArabic(text).replace(NATIONAL_ID, '[national-id]').replace(PHONE, '[phone]');
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-line-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-line-signature"]',
  '*.channelAccessToken',
  '*.channelSecret',
  'channelAccessToken',
  'channelSecret',
  'signature',
  'accessToken',
  'password',
];

/** Fields a log line may carry that the pretty output leaves out, because its message already says them. */
export const SAID_IN_MESSAGE = 'startup';

export interface LoggerOptions {
  /** Pretty lines instead of JSON; by default, when the destination is a terminal. */
  pretty?: boolean;
  /** Colours in the pretty lines; by default unless NO_COLOR is set (https://no-color.org). */
  colour?: boolean;
}

/** Whether a stream is a terminal (process.stdout in a shell is; a pipe, a file or journald is not). */
export function isTerminal(stream: unknown): boolean {
  return (stream as { isTTY?: unknown } | null)?.isTTY === true;
}

export function createLogger(level: string, destination?: pino.DestinationStream, opts: LoggerOptions = {}): Logger {
  const out = destination ?? process.stdout;
  const readable = opts.pretty ?? isTerminal(out);
  const stream = readable
    ? pretty({
        destination: out,
        sync: true,
        colorize: opts.colour ?? !('NO_COLOR' in process.env),
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: `pid,hostname,service,${SAID_IN_MESSAGE}`,
      })
    : destination;
  return pino(
    {
      level,
      base: { service: 'echannel' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPersonalNumbers(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}
