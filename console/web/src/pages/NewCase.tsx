import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, API, type DirectoryDistrict } from '../api';
import { Link, useUi } from '../ui';
import { codeLabel, type Key, type T } from '../i18n';
import { counterTexts } from '../texts/counter';
import { useCategories } from '../categories';

/** domain/cases.ts COUNTER_CHANNELS: every way in but the bot. */
const CHANNELS = ['walk_in', 'hotline', 'letter', 'field', 'email', 'website', 'agency'] as const;

interface Place {
  code: string;
  th: string;
  en: string;
}

type Fields = Record<
  | 'channel' | 'category' | 'districtCode' | 'story' | 'occurredOn' | 'placeProvince' | 'placeDistrict' | 'placeSubdistrict' | 'placeDetail'
  | 'subject' | 'request' | 'fullName' | 'phone' | 'nationalId' | 'address',
  string
>;

/** A reason code of the server in the officer's words (texts/counter.ts); one the page does not know, in general words. */
const problem = (t: T, code: string) => {
  const key = `problem.${code}`;
  return t((key in counterTexts.th ? key : 'problem.other') as Key);
};

/**
 * An officer records a case that came in another way (the counter, 1567, a letter, a field visit, e-mail, the
 * website, another agency): the same fields as the bot's intake, checked by the server with the bot's parsers,
 * every problem shown at its field; scans and photos sent with it. Done: its number, and its receipt and intake form
 * to print.
 */
export function NewCasePage() {
  const { t, lang, officer } = useUi();
  const ownDistrict = officer.role === 'officer' ? (officer.districtCode ?? '') : '';
  const homeProvince = (officer.districtCode ?? '').slice(0, 2) || officer.provinceCode || '';
  const blank: Fields = {
    channel: 'walk_in', category: 'complaint', districtCode: ownDistrict, story: '', occurredOn: '', placeProvince: homeProvince, placeDistrict: '',
    placeSubdistrict: '', placeDetail: '', subject: '', request: '', fullName: '', phone: '', nationalId: '', address: '',
  };
  const [f, setF] = useState<Fields>(blank);
  // The categories in use, with their rules (as cases/counter.ts applies them): consent first, the national ID, a
  // name unless anonymity is allowed. A confidential one is for supervisors only (the server refuses it to officers).
  const list = useCategories();
  const categories = (list?.categories ?? []).filter((c) => c.retiredAt === null && (officer.role !== 'officer' || !c.confidential));
  const rules = categories.find((c) => c.code === f.category);
  const [anonymous, setAnonymous] = useState(false);
  const [consent, setConsent] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [fileInput, setFileInput] = useState(0); // a new key empties the file input after a case is recorded
  const [districts, setDistricts] = useState<DirectoryDistrict[]>([]);
  const [provinces, setProvinces] = useState<Place[]>([]);
  const [placeDistricts, setPlaceDistricts] = useState<Place[]>([]);
  const [subdistricts, setSubdistricts] = useState<Place[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  const set = (patch: Partial<Fields>) => setF((x) => ({ ...x, ...patch }));
  const name = (p: Place | DirectoryDistrict) => (lang === 'th' ? p.th : p.en);

  useEffect(() => {
    api<{ districts: DirectoryDistrict[] }>('GET', '/districts').then((r) => setDistricts(r.districts)).catch(() => setDistricts([]));
    api<{ places: Place[] }>('GET', '/places').then((r) => setProvinces(r.places)).catch(() => setProvinces([]));
  }, []);
  useEffect(() => {
    setPlaceDistricts([]);
    if (f.placeProvince) api<{ places: Place[] }>('GET', `/places?province=${f.placeProvince}`).then((r) => setPlaceDistricts(r.places)).catch(() => undefined);
  }, [f.placeProvince]);
  useEffect(() => {
    setSubdistricts([]);
    if (f.placeDistrict) api<{ places: Place[] }>('GET', `/places?district=${f.placeDistrict}`).then((r) => setSubdistricts(r.places)).catch(() => undefined);
  }, [f.placeDistrict]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    const form = new FormData();
    for (const [k, v] of Object.entries(f)) if (v.trim() !== '') form.append(k, v);
    form.append('anonymous', String(anonymous && !!rules?.anonymousAllowed));
    if (rules?.consentRequired) form.append('consent', String(consent));
    for (const file of files) form.append('files', file, file.name);
    try {
      const r = await api<{ number: string }>('POST', '/cases', form);
      setRecorded(r.number);
      setF(blank);
      setAnonymous(false);
      setConsent(false);
      setFiles([]);
      setFileInput((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.path.split('.')[0] === 'files' ? 'files' : i.path, i.message])));
        setError(t('fixFields'));
      } else setError(t('failed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string, label: string, input: ReactNode, hint?: string) => (
    <label className={`field${errors[key] ? ' invalid' : ''}`}>
      <span>{label}</span>
      {input}
      {hint ? <small className="muted">{hint}</small> : null}
      {errors[key] ? <small className="error" data-testid={`problem-${key}`}>{problem(t, errors[key]!)}</small> : null}
    </label>
  );
  const text = (key: keyof Fields, label: string, o: { rows?: number; max?: number; hint?: string; type?: string } = {}) =>
    field(
      key,
      label,
      o.rows ? (
        <textarea rows={o.rows} value={f[key]} maxLength={o.max} onChange={(e) => set({ [key]: e.target.value })} data-testid={`field-${key}`} />
      ) : (
        <input type={o.type ?? 'text'} value={f[key]} maxLength={o.max} onChange={(e) => set({ [key]: e.target.value })} data-testid={`field-${key}`} />
      ),
      o.hint,
    );

  return (
    <section className="new-case">
      <Link to="/cases" className="back">
        ← {t('back')}
      </Link>
      <h1>{t('newCaseTitle')}</h1>
      <p className="muted">{t('newCaseHint')}</p>
      {recorded ? (
        <div className="card recorded" data-testid="recorded">
          <p>
            {t('recorded')} <strong data-testid="recorded-number">{recorded}</strong>
          </p>
          <div className="actions">
            <Link to={`/cases/${encodeURIComponent(recorded)}/receipt`} className="button primary" testId="print-receipt">
              {t('printReceipt')}
            </Link>
            <a className="button" href={`${API}/cases/${encodeURIComponent(recorded)}/intake-form.pdf`} target="_blank" rel="noopener" data-testid="intake-form">
              {t('printForm')}
            </a>
            <Link to={`/cases/${encodeURIComponent(recorded)}`} className="button" testId="open-recorded">
              {t('openCase')}
            </Link>
          </div>
        </div>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      <form className="card case-form" onSubmit={(e) => void submit(e)} data-testid="new-case-form">
        <div className="row">
          {field(
            'channel',
            t('receivedVia'),
            <select value={f.channel} onChange={(e) => set({ channel: e.target.value })} data-testid="field-channel">
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {codeLabel(t, 'channel', c)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'districtCode',
            t('forDistrict'),
            officer.role === 'officer' ? (
              <input value={districts.find((d) => d.code === ownDistrict) ? name(districts.find((d) => d.code === ownDistrict)!) : ownDistrict} readOnly data-testid="field-districtCode" />
            ) : (
              <select value={f.districtCode} onChange={(e) => set({ districtCode: e.target.value })} data-testid="field-districtCode">
                <option value="">{t('chooseDistrict')}</option>
                {districts.map((d) => (
                  <option key={d.code} value={d.code}>
                    {name(d)}
                  </option>
                ))}
              </select>
            ),
          )}
          {field(
            'category',
            t('category'),
            <select value={f.category} onChange={(e) => set({ category: e.target.value })} data-testid="field-category">
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name[lang]}
                </option>
              ))}
            </select>,
          )}
        </div>
        <h2>{t('matterSection')}</h2>
        {text('story', t('storyLabel'), { rows: 5, max: 3000 })}
        <div className="row">
          {text('subject', t('subjectLabel'), { max: 500 })}
          {text('occurredOn', t('occurredOnLabel'), { max: 40 })}
        </div>
        {text('request', t('requestLabel'), { rows: 2, max: 1000 })}
        <h2>{t('placeSection')}</h2>
        <div className="row">
          {field(
            'placeProvince',
            t('province'),
            <select value={f.placeProvince} onChange={(e) => set({ placeProvince: e.target.value, placeDistrict: '', placeSubdistrict: '' })} data-testid="field-placeProvince">
              <option value="">{t('choosePlace')}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {name(p)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'placeDistrict',
            t('placeDistrict'),
            <select value={f.placeDistrict} onChange={(e) => set({ placeDistrict: e.target.value, placeSubdistrict: '' })} data-testid="field-placeDistrict">
              <option value="">{t('choosePlace')}</option>
              {placeDistricts.map((p) => (
                <option key={p.code} value={p.code}>
                  {name(p)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'placeSubdistrict',
            t('subdistrict'),
            <select value={f.placeSubdistrict} onChange={(e) => set({ placeSubdistrict: e.target.value })} data-testid="field-placeSubdistrict">
              <option value="">{t('choosePlace')}</option>
              {subdistricts.map((p) => (
                <option key={p.code} value={p.code}>
                  {name(p)}
                </option>
              ))}
            </select>,
          )}
        </div>
        {text('placeDetail', t('placeDetail'), { max: 300 })}
        <h2>{t('complainantSection')}</h2>
        {rules?.anonymousAllowed ? (
          <label className={`check${errors.anonymous ? ' invalid' : ''}`}>
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} data-testid="field-anonymous" />
            {t('anonymousLabel')}
            {errors.anonymous ? <small className="error" data-testid="problem-anonymous">{problem(t, errors.anonymous)}</small> : null}
          </label>
        ) : null}
        {rules?.consentRequired ? (
          <label className={`check${errors.consent ? ' invalid' : ''}`}>
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="field-consent" />
            {t('consentLabel')}
            {errors.consent ? <small className="error" data-testid="problem-consent">{problem(t, errors.consent)}</small> : null}
          </label>
        ) : null}
        {!(anonymous && rules?.anonymousAllowed) ? (
          <>
            <div className="row">
              {text('fullName', t('fullName'), { max: 120 })}
              {text('phone', t('phoneLabel'), { max: 30, type: 'tel' })}
              {text('nationalId', t('nationalIdLabel'), { max: 30, ...(rules?.nationalIdRequired ? { hint: t('nationalIdNeeded') } : {}) })}
            </div>
            {text('address', t('addressLabel'), { rows: 2, max: 500 })}
          </>
        ) : null}
        <h2>{t('evidenceSection')}</h2>
        {field(
          'files',
          t('evidenceHint'),
          <input
            key={fileInput}
            type="file"
            multiple
            accept="image/*,application/pdf,.doc,.docx,.xls,.xlsx"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            data-testid="field-files"
          />,
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="record-submit">
          {busy ? t('recording') : t('recordSubmit')}
        </button>
      </form>
    </section>
  );
}
