import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, whenSignedOut, type Officer } from './api';
import { translator, type Lang } from './i18n';
import { BASE, navigate, useRoute } from './router';
import { Link, navFor, sectionOf, UiContext } from './ui';
import { LoginPage } from './pages/Login';
import { QueuePage } from './pages/Queue';
import { ChatPage } from './pages/Chat';
import { CasesPage } from './pages/Cases';
import { CasePage } from './pages/Case';
import { SettingsPage } from './pages/Settings';
import { AccountsPage } from './pages/Accounts';
import { AuditPage } from './pages/Audit';
import { LanguagePage } from './pages/Language';

const LANG_KEY = 'console.lang';

export function App() {
  const route = useRoute();
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'th'));
  const [officer, setOfficer] = useState<Officer | null | undefined>(undefined);
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  useEffect(() => {
    whenSignedOut(() => setOfficer(null));
    api<{ officer: Officer; csrfToken: string }>('GET', '/session')
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setOfficer(s.officer);
      })
      .catch(() => setOfficer(null));
  }, []);

  const signedIn = useCallback((o: Officer, csrf: string) => {
    setCsrfToken(csrf);
    setOfficer(o);
    if (location.pathname.startsWith(`${BASE}/login`)) navigate('/queue');
  }, []);

  const logout = async () => {
    await api('POST', '/logout').catch(() => undefined);
    setOfficer(null);
  };

  const toggle = (
    <button type="button" className="link lang" data-testid="lang-switch" onClick={() => setLang(lang === 'th' ? 'en' : 'th')}>
      {t('switchLanguage')}
    </button>
  );

  if (officer === undefined) return <p className="loading">{t('loading')}</p>;
  if (officer === null) return <LoginPage t={t} toggle={toggle} onSignedIn={signedIn} />;

  let page: ReactNode;
  switch (route.page) {
    case 'queue':
    case 'login':
      page = <QueuePage />;
      break;
    case 'chat':
      page = <ChatPage id={route.id} />;
      break;
    case 'cases':
      page = <CasesPage search={route.search} />;
      break;
    case 'case':
      page = <CasePage number={route.number} />;
      break;
    case 'settings':
      page = <SettingsPage district={null} />;
      break;
    case 'districtSettings':
      page = <SettingsPage district={route.district} />;
      break;
    case 'accounts':
      page = <AccountsPage />;
      break;
    case 'audit':
      page = <AuditPage search={route.search} />;
      break;
    case 'language':
      page = <LanguagePage search={route.search} />;
      break;
    default:
      page = <p>{t('notFound')}</p>;
  }
  const current = sectionOf(route.page);
  const nav = navFor(officer.role);
  return (
    <UiContext.Provider value={{ lang, t, officer }}>
      <header className="top">
        <div className="brand">
          <strong>{t('appTitle')}</strong>
          <span>{t('appSubtitle')}</span>
        </div>
        <nav>
          <Link to="/queue" active={current === 'queue'} testId="nav-queue">
            {t('navQueue')}
          </Link>
          <Link to="/cases" active={current === 'cases'} testId="nav-cases">
            {t('navCases')}
          </Link>
          {nav.settings ? (
            <Link to="/settings" active={current === 'settings'} testId="nav-settings">
              {t('settings.nav')}
            </Link>
          ) : null}
          {nav.accounts ? (
            <Link to="/accounts" active={current === 'accounts'} testId="nav-accounts">
              {t('accounts.nav')}
            </Link>
          ) : null}
          {nav.audit ? (
            <Link to="/audit" active={current === 'audit'} testId="nav-audit">
              {t('audit.nav')}
            </Link>
          ) : null}
          {nav.language ? (
            <Link to="/language" active={current === 'language'} testId="nav-language">
              {t('language.nav')}
            </Link>
          ) : null}
        </nav>
        <div className="who">
          <span data-testid="officer-name">{officer.displayName}</span>
          {officer.districtCode ? <span className="muted"> · {officer.districtCode}</span> : null}
          {toggle}
          <button type="button" className="link" data-testid="logout" onClick={() => void logout()}>
            {t('logout')}
          </button>
        </div>
      </header>
      <main>{page}</main>
    </UiContext.Provider>
  );
}

