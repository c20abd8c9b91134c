/**
 * The reports: for a month (or days) in Buddhist Era, what came in, what ended, what is open, the 15-day shares,
 * times, chats and ratings, on charts with the numbers behind each one click away and each table exportable; the
 * province's map, shaded by cases received, a click on a district filtering everything to it (and showing its
 * subdistricts); the overdue cases; the monthly summary as Excel and PDF. The server counts only what the reader may
 * see (an officer: their district, never a confidential case).
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api, API } from '../../api';
import { dayInput, formatDate, parseDay } from '../../format';
import { codeLabel, type Key, type T } from '../../i18n';
import { navigate } from '../../router';
import { Link, useUi } from '../../ui';
import { EChart, echarts, type Chart, type ChartOption } from './EChart';

interface Share {
  part: number;
  whole: number;
  ratio: number | null;
}
interface CountRow {
  code: string;
  count: number;
}
interface Dashboard {
  period: { from: string; to: string };
  district: string | null;
  provinceCode: string | null;
  names: Record<string, { th: string; en: string }>;
  received: number;
  ended: number;
  open: number;
  carriedOver: number;
  byCategory: CountRow[];
  byTopic: CountRow[];
  byChannel: CountRow[];
  byDistrict: Array<{ code: string; received: number; ended: number; open: number; carriedOver: number; withinDeadline: Share }>;
  bySubdistrict: CountRow[];
  reasons: Array<{ status: string; reason: string | null; count: number }>;
  firstNotice: Share;
  withinDeadline: Share;
  timeToEnd: { count: number; median: number | null; p90: number | null };
  chats: { requested: number; answered: number; wait: { count: number; median: number | null; p90: number | null }; outOfHours: number };
  satisfaction: {
    rated: number;
    average: number | null;
    distribution: Array<{ rating: number; count: number }>;
    comments: Array<{ at: number; subject: string; rating: number; text: string; caseNumber: string | null }>;
  };
  overdue: { count: number; cases: Array<{ number: string; category: string; status: string; districtCode: string | null; dueAt: number }> };
}
interface MapFeature {
  properties: { code: string; th: string; en: string; district?: string; label: [number, number] };
}
interface MapData {
  installed: boolean;
  provinceCode: string | null;
  districts?: { features: MapFeature[] };
  subdistricts?: { features: MapFeature[] };
  attribution?: string | null;
}

const BANGKOK = 7 * 3_600_000;
const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthRange = (y: number, m: number) => ({ from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}` });

/** Pure: the period and district the address asks for; the current month by default. */
export function reportQuery(search: string, now: number): { from: string; to: string; district: string | null } {
  const s = new URLSearchParams(search);
  const d = new Date(now + BANGKOK);
  const fallback = monthRange(d.getUTCFullYear(), d.getUTCMonth() + 1);
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const district = s.get('district');
  return { from: day(s.get('from')) ?? fallback.from, to: day(s.get('to')) ?? fallback.to, district: district && /^\d{4}$/.test(district) ? district : null };
}

const queryOf = (q: { from: string; to: string; district: string | null }) =>
  `?${new URLSearchParams({ from: q.from, to: q.to, ...(q.district ? { district: q.district } : {}) }).toString()}`;

/** A label for a code of one of the server's lists, the code itself when the console has no word for it. */
function labelOf(t: T, prefix: string, code: string): string {
  if (prefix === 'status' || prefix === 'category') return codeLabel(t, prefix, code);
  try {
    const text = t(`${prefix}.${code}` as Key);
    return text || code;
  } catch {
    return code;
  }
}

const percent = (s: Share) => (s.ratio === null ? '–' : `${(Math.round(s.ratio * 1000) / 10).toFixed(1)}%`);

function duration(ms: number | null, t: T, unit: 'days' | 'minutes'): string {
  if (ms === null) return '–';
  if (unit === 'days') return ms >= DAY ? t('reports.days', { n: (Math.round((ms / DAY) * 10) / 10).toFixed(1) }) : t('reports.hours', { n: Math.round(ms / 3_600_000) });
  return ms >= 3 * 3_600_000 ? t('reports.hours', { n: (Math.round((ms / 3_600_000) * 10) / 10).toFixed(1) }) : t('reports.minutes', { n: Math.round(ms / 60_000) });
}

export default function ReportsPage(p: { search: string }) {
  const { t, lang, officer } = useUi();
  const q = useMemo(() => reportQuery(p.search, Date.now()), [p.search]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [map, setMap] = useState<MapData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    api<Dashboard>('GET', `/reports/dashboard${queryOf(q)}`)
      .then(setData)
      .catch((e: unknown) => setError(t('failed', { message: e instanceof Error ? e.message : String(e) })));
  }, [q, t]);
  useEffect(() => {
    api<MapData>('GET', '/reports/map')
      .then(setMap)
      .catch(() => setMap({ installed: false, provinceCode: null }));
  }, []);

  const go = (next: { from: string; to: string; district: string | null }) => navigate(`/reports${queryOf(next)}`);
  const name = (code: string | null | undefined) => (code ? (data?.names[code]?.[lang] ?? code) : t('reports.none'));
  const month = Number(q.from.slice(5, 7));
  const year = Number(q.from.slice(0, 4));
  const wholeMonth = q.from === monthRange(year, month).from && q.to === monthRange(year, month).to;
  const periodText = wholeMonth
    ? new Intl.DateTimeFormat(lang === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 15))
    : `${formatDate(Date.parse(`${q.from}T12:00:00+07:00`), lang)} – ${formatDate(Date.parse(`${q.to}T12:00:00+07:00`), lang)}`;
  const overseer = officer.role !== 'officer';

  return (
    <section className="reports-page">
      <h1>{t('reports.title')}</h1>
      <PeriodForm q={q} onChange={go} />
      <p className="muted" data-testid="report-period">
        {t('reports.period', { period: periodText })}
        {data?.district ? (
          <>
            {' · '}
            <strong data-testid="report-district">{t('reports.district', { name: name(data.district) })}</strong>{' '}
            {overseer ? (
              <button type="button" className="link" data-testid="report-all-districts" onClick={() => go({ ...q, district: null })}>
                {t('reports.backToProvince')}
              </button>
            ) : null}
          </>
        ) : null}
      </p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {!data && !error ? <p className="muted">{t('loading')}</p> : null}
      {data ? (
        <>
          <Summary d={data} />
          <div className="report-grid">
            <MapPanel d={data} map={map} district={q.district} onDistrict={(code) => go({ ...q, district: code })} name={name} />
            <ChartPanel
              id="category"
              title={t('reports.chart.category')}
              q={q}
              rows={data.byCategory.map((r) => ({ label: labelOf(t, 'category', r.code), value: r.count }))}
            />
            <ChartPanel id="topic" title={t('reports.chart.topic')} q={q} rows={data.byTopic.map((r) => ({ label: r.code === 'none' ? t('reports.noTopic') : labelOf(t, 'topic', r.code), value: r.count }))} />
            <ChartPanel id="channel" title={t('reports.chart.channel')} q={q} pie rows={data.byChannel.map((r) => ({ label: labelOf(t, 'channel', r.code), value: r.count }))} />
            <DistrictPanel d={data} q={q} name={name} />
            <ChartPanel
              id="reasons"
              title={t('reports.chart.reasons')}
              q={q}
              rows={data.reasons.map((r) => ({
                label: r.reason ? `${labelOf(t, 'reason', r.reason)}` : t(`reports.status.${r.status}` as Key),
                value: r.count,
              }))}
            />
            <ChartPanel
              id="satisfaction"
              title={t('reports.chart.satisfaction')}
              q={q}
              rows={data.satisfaction.distribution.map((r) => ({ label: `${r.rating} ★`, value: r.count }))}
              keepOrder
            />
          </div>
          <Comments d={data} />
          <Overdue d={data} name={name} q={q} />
          <Monthly q={q} />
        </>
      ) : null}
    </section>
  );
}

function PeriodForm(p: { q: { from: string; to: string; district: string | null }; onChange: (q: { from: string; to: string; district: string | null }) => void }) {
  const { t, lang } = useUi();
  const [from, setFrom] = useState(dayInput(p.q.from, lang));
  const [to, setTo] = useState(dayInput(p.q.to, lang));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setFrom(dayInput(p.q.from, lang));
    setTo(dayInput(p.q.to, lang));
  }, [p.q.from, p.q.to, lang]);
  const year = Number(p.q.from.slice(0, 4));
  const month = Number(p.q.from.slice(5, 7));
  const thisYear = new Date(Date.now() + BANGKOK).getUTCFullYear();
  const years = Array.from({ length: 7 }, (_, i) => thisYear - i);
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const monthName = (m: number) => new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, m - 1, 15));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const f = parseDay(from);
    const l = parseDay(to);
    setBad(!f || !l);
    if (f && l) p.onChange({ from: f, to: l, district: p.q.district });
  };
  return (
    <form className="filters" onSubmit={submit}>
      <label>
        {t('reports.month')}{' '}
        <select value={month} data-testid="report-month" onChange={(e) => p.onChange({ ...monthRange(year, Number(e.target.value)), district: p.q.district })}>
          {months.map((m) => (
            <option key={m} value={m}>
              {monthName(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('reports.year')}{' '}
        <select value={year} data-testid="report-year" onChange={(e) => p.onChange({ ...monthRange(Number(e.target.value), month), district: p.q.district })}>
          {(years.includes(year) ? years : [year, ...years]).map((y) => (
            <option key={y} value={y}>
              {lang === 'th' ? y + 543 : y}
            </option>
          ))}
        </select>
      </label>
      <span className="muted">{t('reports.range')}</span>
      <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder={t('reports.from')} aria-label={t('reports.from')} data-testid="report-from" size={11} />
      <input value={to} onChange={(e) => setTo(e.target.value)} placeholder={t('reports.to')} aria-label={t('reports.to')} data-testid="report-to" size={11} />
      <button type="submit" data-testid="report-show">
        {t('reports.show')}
      </button>
      {bad ? <span className="error">{t('badDay')}</span> : null}
    </form>
  );
}

function Card(p: { label: string; value: ReactNode; sub?: ReactNode; testId: string }) {
  return (
    <div className="report-card" data-testid={p.testId}>
      <div className="muted">{p.label}</div>
      <div className="report-value" data-testid={`${p.testId}-value`}>
        {p.value}
      </div>
      {p.sub ? <div className="muted small">{p.sub}</div> : null}
    </div>
  );
}

function Summary({ d }: { d: Dashboard }) {
  const { t } = useUi();
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    <div className="report-cards">
      <Card label={t('reports.received')} value={n(d.received)} testId="card-received" />
      <Card label={t('reports.ended')} value={n(d.ended)} testId="card-ended" />
      <Card label={t('reports.open')} value={n(d.open)} sub={`${t('reports.carriedOver')} ${n(d.carriedOver)}`} testId="card-open" />
      <Card label={t('reports.firstNotice')} value={percent(d.firstNotice)} sub={t('reports.ofWhole', { part: n(d.firstNotice.part), whole: n(d.firstNotice.whole) })} testId="card-first-notice" />
      <Card label={t('reports.withinDeadline')} value={percent(d.withinDeadline)} sub={t('reports.ofWhole', { part: n(d.withinDeadline.part), whole: n(d.withinDeadline.whole) })} testId="card-within-deadline" />
      <Card
        label={t('reports.timeToEnd')}
        value={duration(d.timeToEnd.median, t, 'days')}
        sub={t('reports.medianP90', { median: duration(d.timeToEnd.median, t, 'days'), p90: duration(d.timeToEnd.p90, t, 'days') })}
        testId="card-time-to-end"
      />
      <Card
        label={t('reports.wait')}
        value={duration(d.chats.wait.median, t, 'minutes')}
        sub={
          <>
            {t('reports.medianP90', { median: duration(d.chats.wait.median, t, 'minutes'), p90: duration(d.chats.wait.p90, t, 'minutes') })}
            <br />
            {t('reports.chatsLine', { requested: n(d.chats.requested), answered: n(d.chats.answered), outOfHours: n(d.chats.outOfHours) })}
          </>
        }
        testId="card-chats"
      />
      <Card
        label={t('reports.satisfaction')}
        value={d.satisfaction.average === null ? '–' : d.satisfaction.average.toFixed(2)}
        sub={d.satisfaction.average === null ? null : t('reports.average', { avg: d.satisfaction.average.toFixed(2), n: n(d.satisfaction.rated) })}
        testId="card-satisfaction"
      />
    </div>
  );
}

/** The exports of one of the dashboard's tables, for the period and district shown. */
function Exports(p: { id: string; q: { from: string; to: string; district: string | null }; testPrefix?: string }) {
  const { t, lang } = useUi();
  const href = (f: string) => `${API}/reports/tables/${p.id}.${f}${queryOf(p.q)}&lang=${lang}`;
  return (
    <span className="exports">
      <a className="button small" href={href('xlsx')} download data-testid={`${p.testPrefix ?? 'export'}-${p.id}-xlsx`}>
        {t('reports.xlsx')}
      </a>{' '}
      <a className="button small" href={href('csv')} download data-testid={`${p.testPrefix ?? 'export'}-${p.id}-csv`}>
        {t('reports.csv')}
      </a>
    </span>
  );
}

function NumbersTable(p: { id: string; head: string[]; rows: Array<Array<string | number>> }) {
  return (
    <table className="cases report-numbers" data-testid={`numbers-${p.id}`}>
      <thead>
        <tr>
          {p.head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} className={typeof c === 'number' ? 'num' : undefined}>
                {typeof c === 'number' ? c.toLocaleString('en-US') : c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Panel(p: { id: string; title: string; q: { from: string; to: string; district: string | null }; chart: ReactNode; numbers: ReactNode; wide?: boolean }) {
  const { t } = useUi();
  const [open, setOpen] = useState(false);
  return (
    <figure className={`report-panel${p.wide ? ' wide' : ''}`} data-testid={`panel-${p.id}`}>
      <figcaption>
        <strong>{p.title}</strong>{' '}
        <button type="button" className="link" aria-expanded={open} data-testid={`show-numbers-${p.id}`} onClick={() => setOpen(!open)}>
          {open ? t('reports.hideNumbers') : t('reports.numbers')}
        </button>{' '}
        <Exports id={p.id} q={p.q} />
      </figcaption>
      {p.chart}
      {open ? p.numbers : null}
    </figure>
  );
}

function ChartPanel(p: { id: string; title: string; q: { from: string; to: string; district: string | null }; rows: Array<{ label: string; value: number }>; pie?: boolean; keepOrder?: boolean }) {
  const { t } = useUi();
  const rows = p.keepOrder ? p.rows : [...p.rows].sort((a, b) => b.value - a.value);
  const total = rows.reduce((a, r) => a + r.value, 0);
  const option: ChartOption = useMemo(
    () =>
      p.pie
        ? {
            tooltip: { trigger: 'item' },
            series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.map((r) => ({ name: r.label, value: r.value })), label: { formatter: '{b}\n{c}' } }],
          }
        : {
            tooltip: { trigger: 'axis' },
            grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisLabel: { width: 170, overflow: 'truncate' } },
            series: [{ type: 'bar', data: rows.map((r) => r.value), itemStyle: { color: '#1f4e79' }, label: { show: true, position: 'right' } }],
          },
    [rows, p.pie],
  );
  const height = p.pie ? 260 : Math.max(120, rows.length * 26 + 30);
  return (
    <Panel
      id={p.id}
      title={p.title}
      q={p.q}
      chart={<EChart option={option} height={height} label={p.title} testId={`chart-${p.id}`} />}
      numbers={
        <NumbersTable
          id={p.id}
          head={[t('reports.name'), t('reports.count'), t('reports.share')]}
          rows={[...rows.map((r) => [r.label, r.value, percent({ part: r.value, whole: total, ratio: total ? r.value / total : null })]), [t('reports.total'), total, total ? '100.0%' : '–']]}
        />
      }
    />
  );
}

function DistrictPanel(p: { d: Dashboard; q: { from: string; to: string; district: string | null }; name: (c: string) => string }) {
  const { t } = useUi();
  const rows = p.d.byDistrict;
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => p.name(r.code)), axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('reports.received'), type: 'bar', data: rows.map((r) => r.received), itemStyle: { color: '#1f4e79' } },
        { name: t('reports.ended'), type: 'bar', data: rows.map((r) => r.ended), itemStyle: { color: '#3c8d5a' } },
        { name: t('reports.open'), type: 'bar', data: rows.map((r) => r.open), itemStyle: { color: '#d08c1a' } },
      ],
    }),
    [rows, p, t],
  );
  return (
    <Panel
      id="district"
      title={t('reports.chart.district')}
      q={p.q}
      wide
      chart={<EChart option={option} height={280} label={t('reports.chart.district')} testId="chart-district" />}
      numbers={
        <NumbersTable
          id="district"
          head={[t('reports.name'), t('reports.carriedOver'), t('reports.received'), t('reports.ended'), t('reports.open'), t('reports.withinDeadline')]}
          rows={[
            ...rows.map((r) => [p.name(r.code), r.carriedOver, r.received, r.ended, r.open, percent(r.withinDeadline)]),
            [t('reports.total'), p.d.carriedOver, p.d.received, p.d.ended, p.d.open, percent(p.d.withinDeadline)],
          ]}
        />
      }
    />
  );
}

/**
 * The province shaded by cases received; a click on a district filters to it and shows its subdistricts. The
 * district label points (where a click surely lands inside) are listed for keyboards and tests, with their
 * positions on the drawing.
 */
function MapPanel(p: { d: Dashboard; map: MapData | null; district: string | null; onDistrict: (code: string | null) => void; name: (c: string) => string }) {
  const { t, lang, officer } = useUi();
  const [points, setPoints] = useState<Array<{ code: string; x: number; y: number }>>([]);
  const sub = !!p.district;
  const mapName = p.map?.installed ? `reports-${p.map.provinceCode}-${sub ? p.district : 'districts'}` : null;
  const features = useMemo(() => {
    if (!p.map?.installed) return [];
    return sub ? (p.map.subdistricts?.features ?? []).filter((f) => f.properties.district === p.district) : (p.map.districts?.features ?? []);
  }, [p.map, sub, p.district]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    if (sub) for (const r of p.d.bySubdistrict) m.set(r.code, r.count);
    else for (const r of p.d.byDistrict) m.set(r.code, r.received);
    return m;
  }, [p.d, sub]);
  const option: ChartOption | null = useMemo(() => {
    if (!mapName || !p.map?.installed) return null;
    const fc = sub ? { type: 'FeatureCollection', features: features } : p.map.districts;
    echarts.registerMap(mapName, fc as never);
    const values = features.map((f) => counts.get(f.properties.code) ?? 0);
    const max = Math.max(1, ...values);
    // From the smallest count shown, so that close numbers still differ in shade.
    const min = Math.min(max - 1, ...values);
    const label = (code: string) => features.find((f) => f.properties.code === code)?.properties[lang] || code;
    return {
      tooltip: { trigger: 'item', formatter: (x: { name: string; value: number }) => `${label(x.name)}: ${Number.isFinite(x.value) ? x.value : 0}` },
      visualMap: { min, max, left: 8, bottom: 8, calculable: false, inRange: { color: ['#e8f0f8', '#1f4e79'] }, text: [String(max), String(min)] },
      series: [
        {
          type: 'map',
          map: mapName,
          roam: true,
          selectedMode: false,
          label: { show: true, formatter: (x: { name: string }) => label(x.name), fontSize: 12, color: '#102a43', textBorderColor: '#fff', textBorderWidth: 3 },
          emphasis: { label: { show: true } },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
          data: features.map((f) => ({ name: f.properties.code, value: counts.get(f.properties.code) ?? 0 })),
        },
      ],
    };
  }, [mapName, features, counts, p.map, lang, sub]);
  const canChoose = officer.role !== 'officer';
  const onRendered = (chart: Chart) => {
    const next = features.map((f) => {
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, f.properties.label) as [number, number];
      return { code: f.properties.code, x: Math.round(x), y: Math.round(y) };
    });
    if (JSON.stringify(next) !== JSON.stringify(points)) setPoints(next);
  };
  const rows = sub ? p.d.bySubdistrict.map((r) => ({ code: r.code, count: r.count })) : p.d.byDistrict.map((r) => ({ code: r.code, count: r.received }));
  return (
    <figure className="report-panel wide" data-testid="panel-map">
      <figcaption>
        <strong>{sub ? `${t('reports.district', { name: p.name(p.district ?? '') })} · ${t('reports.chart.subdistrict')}` : t('reports.map')}</strong> <span className="muted small">{canChoose && !sub ? t('reports.mapHelp') : null}</span>{' '}
        <Exports id={sub ? 'subdistrict' : 'district'} q={{ from: p.d.period.from, to: p.d.period.to, district: p.district }} testPrefix="map-export" />
      </figcaption>
      {option ? (
        <>
          <EChart option={option} height={420} label={t('reports.map')} testId="report-map" onClick={(code) => (!sub && canChoose && /^\d{4}$/.test(code) ? p.onDistrict(code) : undefined)} onRendered={onRendered} />
          <ul className="map-points" data-testid="map-points" hidden>
            {points.map((pt) => (
              <li key={pt.code} data-code={pt.code} data-x={pt.x} data-y={pt.y} />
            ))}
          </ul>
          {canChoose && !sub ? (
            // The same choice as a click on the map, for a keyboard.
            <p className="map-choices">
              {features.map((f) => (
                <button key={f.properties.code} type="button" className="link" data-testid={`map-choose-${f.properties.code}`} onClick={() => p.onDistrict(f.properties.code)}>
                  {f.properties[lang] || f.properties.code} ({(counts.get(f.properties.code) ?? 0).toLocaleString('en-US')})
                </button>
              ))}
            </p>
          ) : null}
          {p.map?.attribution ? <p className="muted small attribution">{p.map.attribution.split('\n')[0]}</p> : null}
        </>
      ) : p.map ? (
        <p className="muted" data-testid="no-map">
          {t('reports.noMap')}
        </p>
      ) : null}
      {!option ? (
        <table className="cases" data-testid="map-table">
          <thead>
            <tr>
              <th>{t('reports.name')}</th>
              <th>{t('reports.received')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td>
                  {!sub && canChoose ? (
                    <button type="button" className="link" data-testid={`map-table-${r.code}`} onClick={() => p.onDistrict(r.code)}>
                      {p.name(r.code)}
                    </button>
                  ) : (
                    p.name(r.code)
                  )}
                </td>
                <td className="num">{r.count.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </figure>
  );
}

function Comments({ d }: { d: Dashboard }) {
  const { t, lang } = useUi();
  return (
    <section className="report-panel wide" data-testid="comments">
      <h2>{t('reports.comments')}</h2>
      {d.satisfaction.comments.length === 0 ? <p className="muted">{t('reports.noComments')}</p> : null}
      <ul className="comments">
        {d.satisfaction.comments.map((c, i) => (
          <li key={i} data-testid="comment">
            <span className="muted">
              {formatDate(c.at, lang)} · {t(`reports.subject.${c.subject === 'chat' ? 'chat' : 'case'}`)} · {c.rating} ★
              {c.caseNumber ? (
                <>
                  {' · '}
                  <Link to={`/cases/${encodeURIComponent(c.caseNumber)}`}>{c.caseNumber}</Link>
                </>
              ) : null}
            </span>
            <br />
            {c.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Overdue(p: { d: Dashboard; name: (c: string) => string; q: { from: string; to: string; district: string | null } }) {
  const { t, lang } = useUi();
  const now = Date.now();
  const casesHref = (f: string) => `${API}/reports/cases.${f}?${new URLSearchParams({ from: p.q.from, to: p.q.to, ...(p.q.district ? { district: p.q.district } : {}), lang }).toString()}`;
  return (
    <section className="report-panel wide" data-testid="overdue">
      <h2>
        {t('reports.overdue', { n: p.d.overdue.count.toLocaleString('en-US') })} <Exports id="overdue" q={p.q} />
      </h2>
      {p.d.overdue.cases.length === 0 ? <p className="muted">{t('reports.overdueNone')}</p> : null}
      {p.d.overdue.cases.length ? (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('number')}</th>
              <th>{t('category')}</th>
              <th>{t('status')}</th>
              <th>{t('reports.name')}</th>
              <th>{t('dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {p.d.overdue.cases.map((c) => (
              <tr key={c.number} data-testid="overdue-row">
                <td>
                  <Link to={`/cases/${encodeURIComponent(c.number)}`}>{c.number}</Link>
                </td>
                <td>{codeLabel(t, 'category', c.category)}</td>
                <td>{codeLabel(t, 'status', c.status)}</td>
                <td>{p.name(c.districtCode ?? '')}</td>
                <td className="nowrap">
                  {formatDate(c.dueAt, lang)} <span className="badge overdue">{t('reports.overdueBy', { n: Math.floor((now - c.dueAt) / DAY) })}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <a className="button small" href={casesHref('xlsx')} download data-testid="export-cases-xlsx">
          {t('reports.exportCases')} ({t('reports.xlsx')})
        </a>{' '}
        <a className="button small" href={casesHref('csv')} download data-testid="export-cases-csv">
          {t('reports.exportCases')} ({t('reports.csv')})
        </a>
      </p>
    </section>
  );
}

function Monthly(p: { q: { from: string } }) {
  const { t, lang } = useUi();
  const month = p.q.from.slice(0, 7);
  const href = (f: string) => `${API}/reports/monthly.${f}?month=${month}&lang=${lang}`;
  return (
    <section className="report-panel wide" data-testid="monthly">
      <h2>{t('reports.monthly')}</h2>
      <p className="muted">{t('reports.monthlyHelp')}</p>
      <a className="button" href={href('xlsx')} download data-testid="monthly-xlsx">
        {t('reports.monthlyXlsx')}
      </a>{' '}
      <a className="button" href={href('pdf')} download data-testid="monthly-pdf">
        {t('reports.monthlyPdf')}
      </a>
    </section>
  );
}
