import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings';
import { SAID_IN_MESSAGE } from '../runtime/logger';

/**
 * The start-up banner: what is running and where, in one short block a person reads once (npm start, journalctl),
 * and the same facts as fields for a log search. Pure: start.ts hands it what it learnt while starting.
 */
export interface BannerFacts {
  version: string;
  settings: Settings;
  /** The address the server listens on, as this machine reaches it. */
  url: string;
  host: string;
  port: number;
  /** The emulator's chat page when no LINE credentials are set. */
  simulatorUrl: string | null;
  workerId: string;
  /** The key file actually read (an earlier install's, beside the database, when only that one exists); null with DATA_KEY. */
  dataKeyFile: string | null;
}

export function startupBanner(f: BannerFacts): { fields: Record<string, unknown>; text: string } {
  const s = f.settings;
  const outside = s.publicUrl ?? f.url;
  const line = s.line ? `LINE Messaging API at ${new URL(s.line.apiBaseUrl).host}` : `the local LINE emulator (no LINE credentials): chat at ${f.simulatorUrl}`;
  const database = describeDatabase(s.databaseUrl);
  const dataKey = s.dataKey.key ? 'DATA_KEY (from the environment)' : f.dataKeyFile ?? s.dataKey.file;
  const rows: Array<[string, string]> = [
    ['listening', `${f.host}:${f.port}${s.publicUrl ? `, reached as ${s.publicUrl}` : ''}`],
    ['webhook', `${outside}/webhook`],
    ['console', `${outside}/console`],
    ['LINE', line],
    ['database', database],
    ['data key', dataKey],
    ['metrics', s.opsToken ? `${f.url}/metrics (bearer OPS_TOKEN)` : 'off (set OPS_TOKEN)'],
    ['logs', `${s.logLevel}${s.nodeEnv ? `, NODE_ENV=${s.nodeEnv}` : ''}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const text = [`E-Channel ${f.version} is running`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
  return {
    // Under one key, which the pretty output leaves out (the text says it): JSON logs keep the facts searchable.
    fields: {
      [SAID_IN_MESSAGE]: {
        version: f.version,
        host: f.host,
        port: f.port,
        publicUrl: s.publicUrl,
        line: s.line ? 'line' : 'emulator',
        database,
        metrics: Boolean(s.opsToken),
        workerId: f.workerId,
      },
    },
    text,
  };
}

/** Engine and place, never a password. */
export function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) return `SQLite ${url.slice('sqlite:'.length)}`;
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}${u.username ? ` as ${decodeURIComponent(u.username)}` : ''}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** This checkout's version (package.json), read once at start. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
