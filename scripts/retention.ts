/**
 * The retention purge from the command line, as the daily job runs it in the server (privacy/retention.ts):
 *
 *   npm run retention -- --dry-run      what a run now would erase, per kind, and the first cases it would erase
 *   npm run retention                   erases, in small transactions, and prints what each kind held before and
 *                                       after and what was erased
 *   --as-of 2031-12-01                  measure every age from that day instead of now (to see the effect of
 *                                       time on a copy of the database; never needed in production)
 *   --lang en                           English (Thai by default)
 *
 * Uses DATABASE_URL and the RETENTION_* settings exactly as the server does (config/settings.ts). Safe beside a
 * running server: every step is idempotent, and each runs in its own short transaction. Every run, dry or not, is
 * recorded and shown in the console's retention page. Exit code 0 when the run finished, 1 on an error.
 */
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/settings';
import { Database } from '../storage/database';
import { i18n, type Locale } from '../locales/i18n';
import { formatCaseDate, formatCaseDateTime } from '../locales/dates';
import { census, dryRun, runRetention, RetentionRunError, type RetentionPlan } from '../privacy/retention';
import { periodOf, RETENTION_KINDS, type KindCounts } from '../privacy/retention-policy';
import type { RetentionRun } from '../privacy/retention-runs';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Columns as wide as they look: Thai vowel and tone marks take no room of their own. */
const width = (s: string) => s.replace(/\p{M}/gu, '').length;
const pad = (s: string, n: number, right = false) => (right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s))));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) => r.map((cell, i) => pad(cell, widths[i]!, i > 1)).join('  ')).join('\n');
}

function asOfArg(value: string | undefined): number {
  if (value === undefined) return Date.now();
  // A day alone is that day's start in Thailand.
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value);
  if (Number.isNaN(at)) throw new UsageError(`--as-of ${value}: not a date (use YYYY-MM-DD, Common Era)`);
  return at;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      'as-of': { type: 'string' },
      lang: { type: 'string', default: 'th' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run retention -- [--dry-run] [--as-of YYYY-MM-DD] [--lang th|en]');
    return 0;
  }
  if (values.lang !== 'th' && values.lang !== 'en') throw new UsageError('--lang must be th or en');
  const lng = values.lang as Locale;
  const t = (key: string, vars: Record<string, unknown> = {}) => i18n.t(key, { lng, ns: 'retention', ...vars }) as string;
  const settings = loadSettings();
  const policy = settings.retention;
  const asOf = asOfArg(values['as-of']);
  const period = (kind: (typeof RETENTION_KINDS)[number]) => {
    const p = periodOf(policy, kind);
    return 'years' in p ? t('years', { n: p.years }) : t('days', { n: p.days });
  };
  const label = (kind: string) => `${t(`kind.${kind}`)} (${kind})`;
  const number = (n: number) => n.toLocaleString(lng === 'th' ? 'th-TH' : 'en-GB');

  const db = await Database.open(settings.databaseUrl);
  try {
    console.log(t('title', { date: formatCaseDateTime(asOf, lng) }));
    if (values['dry-run']) {
      const { plan } = await dryRun(db, policy, { asOf, now: Date.now(), trigger: 'command' });
      printPlan(plan);
      return 0;
    }
    const before = await db.transaction((tx) => census(tx));
    let run: RetentionRun;
    try {
      run = await runRetention(db, policy, { asOf, trigger: 'command', now: Date.now });
    } catch (err) {
      if (err instanceof RetentionRunError) console.error(t('failed', { id: err.runId, error: String((err.reason as Error)?.message ?? err.reason) }));
      throw err;
    }
    const after = await db.transaction((tx) => census(tx));
    printRun(before, run, after);
    console.log(t('finished', { id: run.id }));
    return 0;
  } finally {
    await db.close();
  }

  function printPlan(plan: RetentionPlan): void {
    console.log(t('dryRun'));
    const c = (k: string) => t(`columns.${k}`);
    console.log(table([[c('kind'), c('period'), c('held'), c('due')], ...plan.kinds.map((k) => [label(k.kind), period(k.kind), number(k.held), number(k.due)])]));
    console.log('');
    if (plan.cases.total === 0) return void console.log(t('noCases'));
    console.log(t('cases', { shown: plan.cases.first.length, total: plan.cases.total }));
    for (const k of plan.cases.first) console.log(`  ${k.trackingNumber}  ${t('closedOn', { date: formatCaseDate(k.closedAt, lng) })}`);
  }

  function printRun(before: KindCounts, run: RetentionRun, after: KindCounts): void {
    const c = (k: string) => t(`columns.${k}`);
    console.log(
      table([
        [c('kind'), c('period'), c('held'), c('purged'), c('after')],
        ...RETENTION_KINDS.map((k) => [label(k), period(k), number(before[k]), number(run.counts.purged[k]), number(after[k])]),
      ]),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? err.message : err);
    process.exit(1);
  },
);
