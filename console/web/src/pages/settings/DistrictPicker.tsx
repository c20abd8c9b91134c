import { useEffect, useMemo, useState } from 'react';
import { api, type DirectoryDistrict } from '../../api';
import { Link, useUi } from '../../ui';
import type { Lang } from '../../i18n';
import { reasonOf } from './reason';

export interface ProvinceGroup {
  code: string;
  name: string;
  districts: DirectoryDistrict[];
}

/**
 * Pure: the districts that match what was typed (a code, or part of a Thai or English name, the province's too),
 * grouped by province in the directory's order.
 */
export function groupedDistricts(districts: readonly DirectoryDistrict[], typed: string, province: string, lang: Lang): ProvinceGroup[] {
  const q = typed.trim().toLowerCase();
  const groups = new Map<string, ProvinceGroup>();
  for (const d of districts) {
    if (province && d.provinceCode !== province) continue;
    if (q && ![d.code, d.th, d.en, d.provinceTh, d.provinceEn].some((w) => w.toLowerCase().includes(q))) continue;
    const g = groups.get(d.provinceCode) ?? { code: d.provinceCode, name: lang === 'en' ? d.provinceEn : d.provinceTh, districts: [] };
    g.districts.push(d);
    groups.set(d.provinceCode, g);
  }
  return [...groups.values()];
}

/** The districts this account may configure (GET /districts), to open one's settings. */
export function DistrictPicker() {
  const { t, lang } = useUi();
  const [districts, setDistricts] = useState<DirectoryDistrict[] | null>(null);
  const [typed, setTyped] = useState('');
  const [province, setProvince] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ districts: DirectoryDistrict[] }>('GET', '/districts')
      .then((r) => setDistricts(r.districts))
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [t]);

  const provinces = useMemo(() => groupedDistricts(districts ?? [], '', '', lang), [districts, lang]);
  const shown = useMemo(() => groupedDistricts(districts ?? [], typed, province, lang), [districts, typed, province, lang]);
  const configurable = (districts ?? []).filter((d) => d.canConfigure);

  return (
    <section className="settings-page">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.pickHelp')}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {districts === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {districts !== null && configurable.length === 0 ? <p className="empty">{t('settings.nothingToConfigure')}</p> : null}
      {configurable.length > 0 ? (
        <>
          <div className="filters card">
            <input type="search" className="grow" placeholder={t('settings.findDistrict')} value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="district-search" />
            {provinces.length > 1 ? (
              <select value={province} onChange={(e) => setProvince(e.target.value)} data-testid="province-filter">
                <option value="">{t('settings.allProvinces')}</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
          {shown.length === 0 ? <p className="empty">{t('settings.noDistrictFound')}</p> : null}
          {shown.map((g) => (
            <div key={g.code} className="card province-group">
              <h2>{t('settings.province', { name: g.name })}</h2>
              <ul className="district-list">
                {g.districts.map((d) => (
                  <li key={d.code}>
                    {d.canConfigure ? (
                      <Link to={`/settings/${d.code}`} testId={`district-${d.code}`}>
                        {lang === 'en' ? d.en : d.th}
                      </Link>
                    ) : (
                      <span>{lang === 'en' ? d.en : d.th}</span>
                    )}
                    <span className="muted"> {d.code}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
