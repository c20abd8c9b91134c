import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, whenSignedOut, type Officer } from './api';
import { translator, type Lang, type T } from './i18n';
import { BASE, navigate, useRoute, type Route } from './router';
import { LoginPage } from './pages/Login';
import { QueuePage } from './pages/Queue';
import { ChatPage } from './pages/Chat';
import { CasesPage } from './pages/Cases';
import { CasePage } from './pages/Case';
import { SettingsPage } from './pages/Settings';
import { AccountsPage } from './pages/Accounts';
import { AuditPage } from './pages/Audit';

export interface Ui {
  lang: Lang;
  t: T;
  officer: Officer;
}

const UiContext = createContext<Ui | null>(null);
export const useUi = (): Ui => useContext(UiContext)!;

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

/**
 * Pure: the pages a role is offered in the navigation. Only an offer: the server refuses a page's API to a role
 * that may not use it (district.configure for settings, officer.create and audit.read for the admin pages).
 */
export function navFor(role: string): { settings: boolean; accounts: boolean; audit: boolean } {
  return { settings: role === 'supervisor' || role === 'admin', accounts: role === 'admin', audit: role === 'admin' };
}

/** Pure: the navigation entry a page belongs to. */
export function sectionOf(page: Route['page']): 'queue' | 'cases' | 'settings' | 'accounts' | 'audit' {
  switch (page) {
    case 'cases':
    case 'case':
      return 'cases';
    case 'settings':
    case 'districtSettings':
      return 'settings';
    case 'accounts':
    case 'audit':
      return page;
    default:
      return 'queue';
  }
}

export function Link(p: { to: string; children: ReactNode; active?: boolean; testId?: string; className?: string }) {
  return (
    <a
      href={BASE + p.to}
      className={[p.className, p.active ? 'active' : ''].filter(Boolean).join(' ') || undefined}
      data-testid={p.testId}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(p.to);
      }}
    >
      {p.children}
    </a>
  );
}
