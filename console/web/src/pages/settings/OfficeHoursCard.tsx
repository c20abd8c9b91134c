import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useUi } from '../../ui';
import { dayInput, formatDateTime, formatDay, parseDay } from '../../format';
import type { Key } from '../../i18n';

/** GET/PUT /console/api/districts/:code/office-hours (console/api/districts.ts). */
interface OfficeHours {
  districtCode: string;
  /** false: the district keeps the server's defaults (OFFICE_HOURS). */
  custom: boolean;
  opens: string;
  closes: string;
  weekdays: number[];
  answerMinutes: number;
  holidays: Holiday[];
  updatedAt: number | null;
  updatedBy: string | null;
  /** OFFICE_HOLIDAYS: closed days of every district, from the server's settings. */
  settingsHolidays: string[];
  publicHolidays: Holiday[];
}

interface Holiday {
  day: string;
  name: string;
}

type Editable = Pick<OfficeHours, 'opens' | 'closes' | 'weekdays' | 'answerMinutes' | 'holidays'>;

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const [DEFAULT_OPENS, DEFAULT_CLOSES] = ['08:30', '16:30'];
const dayKey = (d: number) => `office.day${d}` as Key;

/**
 * "8.30", "8:30" or "๘:๓๐" as the server keeps it, "08:30"; null for what is not a time of day. A text field, not
 * <input type="time">, so the hours read the 24-hour Thai way whatever the browser's own language.
 */
function timeOf(text: string): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50)));
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** What the server would refuse, said before sending (the server checks again). */
function problemOf(e: Editable): Key | null {
  const [opens, closes] = [timeOf(e.opens), timeOf(e.closes)];
  if (!opens || !closes || opens >= closes) return 'office.badHours';
  if (e.weekdays.length === 0) return 'office.noWeekday';
  if (!Number.isInteger(e.answerMinutes) || e.answerMinutes < 5 || e.answerMinutes > 1440) return 'office.badMinutes';
  return null;
}

/**
 * A district's office hours and its own closed days, on the district settings page: what a citizen asking for an
 * officer is told, and when the officers' first answer is due. The hours are saved with their button; a holiday
 * is saved as it is added or removed. The Thai public holidays close every district and are listed read-only.
 */
export function OfficeHoursCard(p: { districtCode: string }) {
  const { t, lang } = useUi();
  const [saved, setSaved] = useState<OfficeHours | null>(null);
  const [form, setForm] = useState<Editable | null>(null);
  const [newDay, setNewDay] = useState('');
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = useCallback((o: OfficeHours) => {
    setSaved(o);
    setForm({ opens: o.opens, closes: o.closes, weekdays: o.weekdays, answerMinutes: o.answerMinutes, holidays: o.holidays });
  }, []);

  useEffect(() => {
    api<OfficeHours>('GET', `/districts/${p.districtCode}/office-hours`)
      .then(show)
      .catch((err: unknown) => setError(t('failed', { message: (err as Error).message })));
  }, [p.districtCode, show, t]);

  const put = async (next: Editable): Promise<boolean> => {
    const problem = problemOf(next);
    if (problem) {
      setError(t(problem));
      return false;
    }
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      show(await api<OfficeHours>('PUT', `/districts/${p.districtCode}/office-hours`, next));
      return true;
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!saved || !form) {
    return (
      <section className="card settings-card" data-testid="office-hours-card">
        <h2>{t('office.title')}</h2>
        {error ? <p className="error" role="alert">{error}</p> : <p className="muted">{t('loading')}</p>}
      </section>
    );
  }

  const savedHours = { opens: saved.opens, closes: saved.closes, weekdays: saved.weekdays, answerMinutes: saved.answerMinutes };
  const saveHours = async (e: FormEvent) => {
    e.preventDefault();
    const [opens, closes] = [timeOf(form.opens) ?? form.opens, timeOf(form.closes) ?? form.closes];
    if (await put({ ...form, opens, closes, holidays: saved.holidays })) setDone(true);
  };
  const toggleDay = (d: number) =>
    setForm({ ...form, weekdays: form.weekdays.includes(d) ? form.weekdays.filter((x) => x !== d) : [...form.weekdays, d].sort((a, b) => a - b) });

  const addHoliday = async (e: FormEvent) => {
    e.preventDefault();
    const day = parseDay(newDay);
    if (!day) return setError(t('badDay'));
    if (!newName.trim()) return setError(t('office.needName'));
    if (saved.holidays.some((h) => h.day === day)) return setError(t('office.duplicateHoliday'));
    const holidays = [...saved.holidays, { day, name: newName.trim() }].sort((a, b) => a.day.localeCompare(b.day));
    if (await put({ ...savedHours, holidays })) {
      setNewDay('');
      setNewName('');
    }
  };
  const removeHoliday = (day: string) => void put({ ...savedHours, holidays: saved.holidays.filter((h) => h.day !== day) });

  return (
    <section className="card settings-card" data-testid="office-hours-card">
      <h2>{t('office.title')}</h2>
      <p className="muted">{t('office.help')}</p>
      <p className="muted small" data-testid="office-hours-source">
        {saved.custom && saved.updatedAt !== null ? t('office.updated', { at: formatDateTime(saved.updatedAt, lang), by: saved.updatedBy ?? '' }) : t('office.defaults')}
      </p>

      <form className="stack" onSubmit={(e) => void saveHours(e)} data-testid="office-hours-form">
        <div className="row">
          <label>
            {t('office.opens')}
            <input
              required
              inputMode="numeric"
              maxLength={5}
              size={6}
              placeholder={DEFAULT_OPENS}
              value={form.opens}
              onChange={(e) => setForm({ ...form, opens: e.target.value })}
              onBlur={() => setForm({ ...form, opens: timeOf(form.opens) ?? form.opens })}
              data-testid="office-opens"
            />
          </label>
          <label>
            {t('office.closes')}
            <input
              required
              inputMode="numeric"
              maxLength={5}
              size={6}
              placeholder={DEFAULT_CLOSES}
              value={form.closes}
              onChange={(e) => setForm({ ...form, closes: e.target.value })}
              onBlur={() => setForm({ ...form, closes: timeOf(form.closes) ?? form.closes })}
              data-testid="office-closes"
            />
          </label>
        </div>
        <fieldset className="row" data-testid="office-weekdays">
          <legend>{t('office.weekdays')}</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="row small">
              <input type="checkbox" checked={form.weekdays.includes(d)} onChange={() => toggleDay(d)} data-testid={`office-day-${d}`} />
              {t(dayKey(d))}
            </label>
          ))}
        </fieldset>
        <label>
          {t('office.answerMinutes')}
          <input
            type="number"
            min={5}
            max={1440}
            step={1}
            required
            value={Number.isFinite(form.answerMinutes) ? form.answerMinutes : ''}
            onChange={(e) => setForm({ ...form, answerMinutes: e.target.valueAsNumber })}
            data-testid="office-answer-minutes"
          />
          <span className="muted">{t('office.answerHelp')}</span>
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy} data-testid="office-save">
            {t('office.save')}
          </button>
          {done ? <span className="muted" role="status">{t('office.saved')}</span> : null}
        </div>
      </form>

      <h3>{t('office.ownHolidays')}</h3>
      {saved.holidays.length === 0 ? (
        <p className="muted">{t('office.noOwnHolidays')}</p>
      ) : (
        <ul className="target-list" data-testid="office-holidays">
          {saved.holidays.map((h) => (
            <li key={h.day} data-testid="office-holiday">
              <span className="target-address">{formatDay(h.day, lang)}</span>
              <span>{h.name}</span>
              <button type="button" className="link" disabled={busy} onClick={() => removeHoliday(h.day)} data-testid="office-holiday-remove">
                {t('office.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={(e) => void addHoliday(e)} data-testid="office-holiday-form">
        <input
          placeholder={t('office.holidayDay')}
          aria-label={t('office.holidayDay')}
          value={newDay}
          onChange={(e) => setNewDay(e.target.value)}
          onBlur={() => {
            const day = parseDay(newDay);
            if (day) setNewDay(dayInput(day, lang));
          }}
          data-testid="office-holiday-day"
        />
        <input
          className="grow"
          maxLength={200}
          placeholder={t('office.holidayName')}
          aria-label={t('office.holidayName')}
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          data-testid="office-holiday-name"
        />
        <button type="submit" disabled={busy || !newDay.trim() || !newName.trim()} data-testid="office-holiday-add">
          {t('office.addHoliday')}
        </button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}

      <details data-testid="office-public-holidays">
        <summary>{t('office.publicHolidays', { n: saved.publicHolidays.length + saved.settingsHolidays.length })}</summary>
        <p className="muted small">{t('office.publicNote')}</p>
        <ul className="target-list">
          {saved.settingsHolidays.map((day) => (
            <li key={`s-${day}`}>
              <span className="target-address">{formatDay(day, lang)}</span>
              <span className="muted">{t('office.settingsHoliday')}</span>
            </li>
          ))}
          {saved.publicHolidays.map((h) => (
            <li key={h.day}>
              <span className="target-address">{formatDay(h.day, lang)}</span>
              <span>{h.name}</span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
