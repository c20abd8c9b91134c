import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs without secrets or personal numbers. Headers and settings that carry credentials are removed by
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
    destination,
  );
}
