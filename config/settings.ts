import { z } from 'zod';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Every setting the server reads, validated once at start. A missing or malformed value stops the server with a
 * message that names the setting (see SettingsError), never a crash deep inside a request.
 * `.env.example` documents each of them; keep the two in step.
 */

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const intIn = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const httpUrl = z
  .string()
  .trim()
  .url('must be a URL such as https://api.line.me')
  .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
  .transform((u) => u.replace(/\/+$/, ''));

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (u) => /^sqlite:.+/.test(u) || /^postgres(ql)?:\/\/.+/.test(u),
    'must be sqlite:<file path> (or sqlite::memory:) or postgres://user@host:port/database',
  );

const schema = z.object({
  PORT: intIn(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: databaseUrl.default('sqlite:data/echannel.sqlite'),
  /**
   * PostgreSQL connections a server process opens for the conversations' work. A transaction holds its connection
   * for a dozen round trips, each waiting for a turn of a busy event loop, so the pool, not the CPU, first limits a
   * process: 16 answered about 320 events/s at most on the 2-core benchmark machine, 40 about 400 (one run of
   * `npm run bench -- --pg --baseline`, 2026-12-07).
   * Each process also keeps 6 for intake; PostgreSQL's max_connections (100 by default) must hold them all.
   */
  DATABASE_POOL_SIZE: intIn(2, 500).default(24),
  /**
   * SQLite's page cache in MB. 32 keeps a grown inbox's pages in memory: 8 answered 10 % fewer events at most in the
   * benchmark (1,094 against 1,213/s, one run), and took about 40 MB off the peak of a server with 10,000
   * conversations open (296 against 334 MB under tsx, `npm run bench:memory`): a small machine may choose it.
   */
  SQLITE_CACHE_MB: intIn(2, 4096).default(32),
  LINE_CHANNEL_SECRET: z.string().trim().regex(/^[0-9a-f]{32}$/i, 'must be the 32-character channel secret from the LINE Developers console').optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().trim().min(20, 'must be the long-lived channel access token').optional(),
  LINE_API_BASE_URL: httpUrl.optional(),
  LINE_DATA_API_BASE_URL: httpUrl.optional(),
  LINE_BASIC_ID: z.string().trim().regex(/^@[a-z0-9._-]{1,30}$/i, 'must be the Official Account\'s basic or premium ID, e.g. @123abcde').optional(),
  EMULATOR_PORT: intIn(0, 65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_MAX_BODY_BYTES: intIn(1024, 50 * 1024 * 1024).default(1024 * 1024),
  WORKER_CONCURRENCY: intIn(1, 256).default(64),
  WORKER_POLL_MS: intIn(10, 60_000).default(250),
  WORKER_LEASE_MS: intIn(1000, 3_600_000).default(15_000),
  EVENT_MAX_ATTEMPTS: intIn(1, 100).default(5),
  OUTBOX_MAX_ATTEMPTS: intIn(1, 100).default(10),
  RETRY_BASE_MS: intIn(10, 600_000).default(1000),
  RETRY_MAX_MS: intIn(100, 86_400_000).default(300_000),
  REPLY_TOKEN_MAX_AGE_MS: intIn(1000, 60_000).default(50_000),
  LOADING_ANIMATION_AFTER_MS: intIn(0, 60_000).default(800),
  LINE_REQUEST_TIMEOUT_MS: intIn(500, 120_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: intIn(100, 120_000).default(10_000),
  OPS_TOKEN: z.string().trim().min(24, 'must be at least 24 characters (a long random secret)').optional(),
  ADMIN_TOKEN: z.string().trim().min(24, 'must be at least 24 characters (a long random secret)').optional(),
  ADMIN_TOKEN_HOLDER: z
    .string()
    .trim()
    .min(1)
    .max(64, 'must be at most 64 characters')
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    .optional(),
  NODE_ENV: z.string().trim().optional(),
  SESSION_IDLE_MINUTES: intIn(1, 7 * 24 * 60).default(30),
  FLOWS_DIR: z.string().trim().min(1).default('flows/definitions'),
  DATA_KEY: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*$/,
      'must be 32 random bytes in base64 (openssl rand -base64 32), or several such keys separated by commas, the current first',
    )
    .optional(),
  DATA_KEY_FILE: z.string().trim().min(1).optional(),
  CENTER_PREFIX: z.string().trim().regex(/^[A-Z]{2,5}$/, 'must be 2-5 capital letters, e.g. MDH').default('MDH'),
  PUBLIC_URL: httpUrl.optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(
      (v) => /^\d{1,2}$/.test(v) || v.split(',').every((p) => /^(loopback|linklocal|uniquelocal)$/.test(p.trim()) || isIP(p.trim().replace(/\/\d{1,3}$/, '')) !== 0),
      'must be loopback, a number of proxies in front, or addresses and subnets separated by commas (10.0.0.5, 10.0.0.0/24)',
    )
    .default('loopback'),
  PROGRESS_NOTICE_DAYS: intIn(1, 365).default(15),
  REOPEN_WINDOW_DAYS: intIn(1, 365).default(30),
  TRACK_MAX_ATTEMPTS: intIn(1, 20).default(5),
  TRACK_LOCKOUT_MINUTES: intIn(1, 7 * 24 * 60).default(30),
  SCHEDULER_POLL_MS: intIn(100, 3_600_000).default(5000),
  OFFICE_HOURS: z
    .string()
    .trim()
    .regex(/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/, 'must look like 08:30-16:30')
    .default('08:30-16:30'),
  OFFICE_ANSWER_MINUTES: intIn(1, 24 * 60).default(30),
  CENTER_DISTRICT: z.string().trim().regex(/^\d{4}$/, 'must be a 4-digit DOPA district code, e.g. 4901').optional(),
  // Where `npm run geo:install` put the boundaries a LINE location pin is placed with (geo/); none there: asked by name.
  BOUNDARIES_DIR: z.string().trim().min(1).default('data/boundaries'),
  SERVED_PROVINCES: z
    .string()
    .trim()
    .regex(/^\d{2}(\s*,\s*\d{2})*$/, 'must be 2-digit DOPA province codes separated by commas, e.g. 49')
    .optional(),
  // Open data (Open311 GeoReport v2 at /open311/v2, public fields only: reports/open311.ts): off unless turned on.
  OPEN_DATA: z.enum(['on', 'off']).default('off'),
  SMTP_URL: z.string().trim().regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().trim().min(3).default('E-Channel <no-reply@localhost>'),
  OFFICE_HOLIDAYS: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})(\s*,\s*\d{4}-\d{2}-\d{2})*$/, 'must be dates like 2026-12-07, separated by commas')
    .optional(),
  // Retention (privacy/retention.ts). Years: never below the 5 the privacy notice promises (cases/my-data.ts
  // RETENTION_YEARS). Days: at least a week, longer than LINE redelivers a webhook and than a failure waits for
  // someone to look at it over a long weekend.
  RETENTION_YEARS: intIn(5, 50).default(5),
  // Bot conversation already handled: nobody reads it after the event is done; a month covers investigating a failure.
  RETENTION_INBOX_DAYS: intIn(7, 3650).default(30),
  // Bodies of messages LINE never took (parked as failed): a month for an operator to retry or explain them.
  RETENTION_OUTBOX_DAYS: intIn(7, 3650).default(30),
  // Photos and files attached to no case and in no kept chat: a quarter, for a citizen who adds them to a case late.
  RETENTION_MEDIA_DAYS: intIn(7, 3650).default(90),
  // A conversation idle this long is not resumed (the bot asks to start over after SESSION_IDLE_MINUTES anyway).
  RETENTION_SESSION_DAYS: intIn(7, 3650).default(30),
  // Chats with officers after they end, and the rows of who wrote when: a year, for the same matter raised again.
  RETENTION_CHAT_DAYS: intIn(7, 3650).default(365),
  // Officers' notices (case summaries sent to groups, e-mail, webhooks): a quarter covers follow-ups and audits.
  RETENTION_NOTIFICATION_DAYS: intIn(7, 3650).default(90),
  // Messages the language layer found hard (language_sample: masked numbers, no chat id, but a citizen's own words):
  // a quarter for an admin to review them on the language page; an example made from one is kept as an example.
  RETENTION_LANGUAGE_SAMPLE_DAYS: intIn(7, 3650).default(90),
  // When the daily purge runs, Bangkok time: the quietest hour of the bot's day. "off": no daily purge (a legal
  // hold; the command and the console still run one).
  RETENTION_RUN_AT: z
    .string()
    .trim()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'must be a time of day like 02:30, or off')
    .default('02:30'),
});

/** Where the server listens with no LINE credentials (emulator mode), whatever HOST says. */
export const LOOPBACK = '127.0.0.1';

export interface LineSettings {
  channelSecret: string;
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
}

export interface Settings {
  port: number;
  databaseUrl: string;
  /** PostgreSQL: connections for the conversations' work, per process (intake has its own 6). */
  databasePoolSize: number;
  /** SQLite: the page cache in MB. */
  sqliteCacheMb: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** null when no LINE credentials are set: the server then starts the local LINE emulator and talks to it. */
  line: LineSettings | null;
  /**
   * The Official Account's basic ID ("@123abcde") for the receipt's QR code, which opens the chat with "ติดตาม
   * <number>" typed; null: asked of LINE's bot info API (line/basic-id.ts).
   */
  lineBasicId: string | null;
  emulatorPort: number;
  webhookMaxBodyBytes: number;
  worker: {
    concurrency: number;
    pollMs: number;
    leaseMs: number;
    eventMaxAttempts: number;
    outboxMaxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    replyTokenMaxAgeMs: number;
    loadingAnimationAfterMs: number;
    lineRequestTimeoutMs: number;
  };
  shutdownTimeoutMs: number;
  /** Bearer token for the operations API (failed events); null disables it. */
  opsToken: string | null;
  /**
   * Bearer token for the admin APIs (flows, FAQ, case status) and the one person it was given to, who is the
   * actor of every change made with it (audited); null disables them.
   */
  adminToken: { secret: string; holder: string } | null;
  /** NODE_ENV: 'production' refuses to start without LINE credentials. */
  nodeEnv: string | null;
  /** HOST. With no LINE credentials the server listens on LOOPBACK whatever this says (server/start.ts). */
  host: string;
  /** A conversation idle this long asks whether to continue or start over. */
  sessionIdleMs: number;
  /** Where the shipped flow files live; they are validated and published at start when newer. */
  flowsDir: string;
  /**
   * Encryption of personal data at rest: the keys themselves (DATA_KEY, the current first), or else a key file made
   * on first start (fine for one machine; a province sets DATA_KEY on every server). The file's default is outside
   * the database folder (defaultDataKeyFile); `legacyFile` is where earlier installs kept it, still used when found
   * and the default is not there (storage/data-key.ts).
   */
  dataKey: { key: string | null; file: string; legacyFile: string | null };
  cases: {
    /** The center's tracking-number prefix, e.g. MDH for Mukdahan. */
    prefix: string;
    progressNoticeDays: number;
    reopenWindowDays: number;
    trackMaxAttempts: number;
    trackLockoutMs: number;
  };
  /** Where citizens and officers reach this server from outside (links in messages); null: the local address. */
  publicUrl: string | null;
  /**
   * Which proxies' X-Forwarded-For and X-Forwarded-Proto are believed (express's `trust proxy`): the client's address
   * (sign-in back-off, rate limits, audit log) and whether the request came over HTTPS (Secure cookies) are taken
   * from them. Default loopback: a proxy on this machine (Caddy). A number: that many proxies in front; else
   * addresses and subnets.
   */
  trustProxy: string | number;
  schedulerPollMs: number;
  /** The district whose officers get what cannot be placed in a district (a LINE location, a handoff). */
  centerDistrict: string | null;
  /**
   * Placing LINE location pins (geo/): the folder of the installed boundaries, and the provinces whose places this
   * center takes (SERVED_PROVINCES, else CENTER_DISTRICT's province, else every province); a pin elsewhere is told so.
   */
  geo: { boundariesDir: string; servedProvinces: string[] | null };
  /** OPEN_DATA=on: the Open311 read endpoints answer (server/open311.ts). */
  openData: boolean;
  /** E-mail for officer notifications; null: e-mail targets fail and are reported to the district's other targets. */
  mail: { smtpUrl: string | null; from: string };
  /**
   * Weekday office hours (Bangkok time), closed on Thai public holidays and OFFICE_HOLIDAYS: the defaults of every
   * district without hours of its own (set in the console's district settings, office/store.ts). OFFICE_HOLIDAYS
   * close every district.
   */
  office: { hours: string; answerMinutes: number; extraHolidays: string[] };
  /**
   * How long each kind of data is kept before the daily purge erases it (privacy/retention.ts), and when the purge
   * runs (HH:MM, Bangkok time; null: not daily). `years` counts from a case's closing.
   */
  retention: RetentionSettings;
}

export interface RetentionSettings {
  years: number;
  inboxDays: number;
  outboxDays: number;
  mediaDays: number;
  sessionDays: number;
  chatDays: number;
  notificationDays: number;
  /** Absent in the policy of a run recorded before the kind existed: LANGUAGE_SAMPLE_DAYS_DEFAULT. */
  languageSampleDays?: number;
  runAt: string | null;
}

/** Where earlier installs kept the key file: beside the SQLite database, where a copy of data/ carried both. */
export const LEGACY_DATA_KEY_FILE = 'data/data-key';

/** The key file's default: the user's configuration folder, ${XDG_CONFIG_HOME:-$HOME/.config}/echannel/data-key. */
export function defaultDataKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // The XDG specification ignores a relative XDG_CONFIG_HOME.
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || homedir(), '.config');
  return join(configHome, 'echannel', 'data-key');
}

/** Parses settings from an environment; empty strings count as unset, as they do in most .env files. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === undefined || env[k] === '' ? undefined : env[k]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const s = parsed.data;
  const problems: string[] = [];
  const hasSecret = s.LINE_CHANNEL_SECRET !== undefined;
  const hasToken = s.LINE_CHANNEL_ACCESS_TOKEN !== undefined;
  if (hasSecret !== hasToken) {
    problems.push(
      `${hasSecret ? 'LINE_CHANNEL_ACCESS_TOKEN' : 'LINE_CHANNEL_SECRET'}: is missing; set both LINE credentials, or neither to use the local LINE emulator`,
    );
  }
  if (s.ADMIN_TOKEN !== undefined && s.ADMIN_TOKEN_HOLDER === undefined) {
    problems.push('ADMIN_TOKEN_HOLDER: is missing; name the person ADMIN_TOKEN was given to (the audit log records every change made with it as theirs)');
  }
  if (s.NODE_ENV === 'production' && !hasSecret && !hasToken) {
    problems.push(
      'LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: are required with NODE_ENV=production; without them the server runs the local LINE emulator, whose channel secret is public',
    );
  }
  if (problems.length) throw new SettingsError(problems);

  const line: LineSettings | null =
    hasSecret && hasToken
      ? {
          channelSecret: s.LINE_CHANNEL_SECRET!,
          channelAccessToken: s.LINE_CHANNEL_ACCESS_TOKEN!,
          apiBaseUrl: s.LINE_API_BASE_URL ?? 'https://api.line.me',
          dataApiBaseUrl: s.LINE_DATA_API_BASE_URL ?? 'https://api-data.line.me',
        }
      : null;

  return {
    port: s.PORT,
    host: s.HOST,
    nodeEnv: s.NODE_ENV ?? null,
    databaseUrl: s.DATABASE_URL,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    sqliteCacheMb: s.SQLITE_CACHE_MB,
    logLevel: s.LOG_LEVEL,
    line,
    lineBasicId: s.LINE_BASIC_ID ?? null,
    emulatorPort: s.EMULATOR_PORT ?? (s.PORT === 0 ? 0 : s.PORT + 1),
    webhookMaxBodyBytes: s.WEBHOOK_MAX_BODY_BYTES,
    worker: {
      concurrency: s.WORKER_CONCURRENCY,
      pollMs: s.WORKER_POLL_MS,
      leaseMs: s.WORKER_LEASE_MS,
      eventMaxAttempts: s.EVENT_MAX_ATTEMPTS,
      outboxMaxAttempts: s.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: s.RETRY_BASE_MS,
      retryMaxMs: s.RETRY_MAX_MS,
      replyTokenMaxAgeMs: s.REPLY_TOKEN_MAX_AGE_MS,
      loadingAnimationAfterMs: s.LOADING_ANIMATION_AFTER_MS,
      lineRequestTimeoutMs: s.LINE_REQUEST_TIMEOUT_MS,
    },
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_MS,
    opsToken: s.OPS_TOKEN ?? null,
    adminToken: s.ADMIN_TOKEN !== undefined ? { secret: s.ADMIN_TOKEN, holder: s.ADMIN_TOKEN_HOLDER! } : null,
    sessionIdleMs: s.SESSION_IDLE_MINUTES * 60_000,
    flowsDir: s.FLOWS_DIR,
    dataKey: {
      key: s.DATA_KEY ?? null,
      file: s.DATA_KEY_FILE ?? defaultDataKeyFile(env),
      legacyFile: s.DATA_KEY_FILE === undefined ? LEGACY_DATA_KEY_FILE : null,
    },
    cases: {
      prefix: s.CENTER_PREFIX,
      progressNoticeDays: s.PROGRESS_NOTICE_DAYS,
      reopenWindowDays: s.REOPEN_WINDOW_DAYS,
      trackMaxAttempts: s.TRACK_MAX_ATTEMPTS,
      trackLockoutMs: s.TRACK_LOCKOUT_MINUTES * 60_000,
    },
    publicUrl: s.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    trustProxy: /^\d+$/.test(s.TRUST_PROXY) ? Number(s.TRUST_PROXY) : s.TRUST_PROXY,
    schedulerPollMs: s.SCHEDULER_POLL_MS,
    centerDistrict: s.CENTER_DISTRICT ?? null,
    geo: {
      boundariesDir: s.BOUNDARIES_DIR,
      servedProvinces: s.SERVED_PROVINCES ? s.SERVED_PROVINCES.split(',').map((c) => c.trim()) : s.CENTER_DISTRICT ? [s.CENTER_DISTRICT.slice(0, 2)] : null,
    },
    openData: s.OPEN_DATA === 'on',
    mail: { smtpUrl: s.SMTP_URL ?? null, from: s.MAIL_FROM },
    office: {
      hours: s.OFFICE_HOURS,
      answerMinutes: s.OFFICE_ANSWER_MINUTES,
      extraHolidays: s.OFFICE_HOLIDAYS ? s.OFFICE_HOLIDAYS.split(',').map((d) => d.trim()) : [],
    },
    retention: {
      years: s.RETENTION_YEARS,
      inboxDays: s.RETENTION_INBOX_DAYS,
      outboxDays: s.RETENTION_OUTBOX_DAYS,
      mediaDays: s.RETENTION_MEDIA_DAYS,
      sessionDays: s.RETENTION_SESSION_DAYS,
      chatDays: s.RETENTION_CHAT_DAYS,
      notificationDays: s.RETENTION_NOTIFICATION_DAYS,
      languageSampleDays: s.RETENTION_LANGUAGE_SAMPLE_DAYS,
      runAt: s.RETENTION_RUN_AT === 'off' ? null : s.RETENTION_RUN_AT,
    },
  };
}
