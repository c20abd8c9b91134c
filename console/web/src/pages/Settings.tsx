import { useEffect, useState } from 'react';
import { api, type DirectoryDistrict } from '../api';
import { Link, useUi } from '../ui';
import { DistrictPicker } from './settings/DistrictPicker';
import { LineGroupCard } from './settings/LineGroupCard';
import { EmailTargetsCard } from './settings/EmailTargetsCard';
import { WebhookCard } from './settings/WebhookCard';
import { CannedRepliesCard } from './settings/CannedRepliesCard';
import { OfficeHoursCard } from './settings/OfficeHoursCard';
import { reasonOf } from './settings/reason';
import { useTargets } from './settings/targets';

/**
 * A district's settings, for its province's supervisors and admins: where its officers are told of new work (the
 * LINE group, e-mail, a webhook), its canned replies and its office hours. Without a district: the picker.
 * The server decides who may change what; the page only leaves out what it would refuse.
 */
export function SettingsPage(p: { district: string | null }) {
  if (p.district === null) return <DistrictPicker />;
  return <DistrictSettings key={p.district} district={p.district} />;
}

function DistrictSettings(p: { district: string }) {
  const { t, lang } = useUi();
  const [district, setDistrict] = useState<DirectoryDistrict | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<DirectoryDistrict>('GET', `/districts/${p.district}`)
      .then(setDistrict)
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [p.district, t]);

  const name = district ? t('settings.districtOf', { district: lang === 'en' ? district.en : district.th, province: lang === 'en' ? district.provinceEn : district.provinceTh }) : p.district;
  return (
    <section className="settings-page">
      <Link to="/settings" className="back">
        ← {t('settings.allDistricts')}
      </Link>
      <h1 data-testid="settings-title">
        {t('settings.titleOf', { name })} <span className="muted code">{p.district}</span>
      </h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {district === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {district && !district.canConfigure ? <p className="notice">{t('settings.readOnly')}</p> : null}
      {district?.canConfigure ? <Sections district={p.district} /> : null}
    </section>
  );
}

function Sections(p: { district: string }) {
  const { targets, error, reload } = useTargets(p.district);
  const of = (kind: string) => (targets ?? []).filter((x) => x.kind === kind);
  return (
    <>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="settings-grid">
        <div>
          <LineGroupCard district={p.district} groups={of('line_group')} reload={reload} />
          <EmailTargetsCard district={p.district} emails={of('email')} reload={reload} />
          <WebhookCard district={p.district} webhooks={of('webhook')} reload={reload} />
        </div>
        <div>
          <CannedRepliesCard district={p.district} />
          <OfficeHoursCard districtCode={p.district} />
        </div>
      </div>
    </>
  );
}
