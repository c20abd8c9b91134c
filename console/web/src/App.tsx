import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, whenSignedOut, type Officer } from './api';
import { translator, type Lang } from './i18n';
import { BASE, navigate, useRoute } from './router';
import { Link, navFor, sectionOf, UiContext } from './ui';
import { LoginPage } from './pages/Login';
import { QueuePage } from './pages/Queue';
import { ChatPage } from './pages/Chat';
import { CasesPage } from './pages/Cases';
import { CasePage } from './pages/Case';
import { NewCasePage } from './pages/NewCase';
import { ReceiptPage } from './pages/Receipt';
import { SettingsPage } from './pages/Settings';
import { AccountsPage } from './pages/Accounts';
import { AuditPage } from './pages/Audit';
import { LanguagePage } from './pages/Language';
import { DataRequestPage, DataRequestsPage } from './pages/DataRequests';
import { FaqPage } from './pages/Faq';
import { CategoriesPage } from './pages/Categories';
import { reloadCategories } from './categories';
import { PetitionsPage } from './pages/Petitions';
import { RetentionPage } from './pages/Retention';
import { ToPlacePage } from './pages/ToPlace';

// The flows' pages and their editor (a canvas, a code editor) load only when opened: officers never download them.
const FlowsArea = lazy(() => import('./pages/flows/FlowsPage'));
// The reports and their chart library (ECharts) load only when opened.
const ReportsArea = lazy(() => import('./pages/reports/ReportsPage'));

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

  // The categories' names label every page: read once signed in; a page showing the list re-renders when it changes.
  const [, setCategoriesRead] = useState(0);
  useEffect(() => {
    if (officer) reloadCategories().then(() => setCategoriesRead((n) => n + 1), () => undefined);
  }, [officer]);

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
    case 'newCase':
      page = <NewCasePage />;
      break;
    case 'receipt':
      page = <ReceiptPage number={route.number} />;
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
    case 'dataRequests':
      page = <DataRequestsPage />;
      break;
    case 'dataRequest':
      page = <DataRequestPage id={route.id} />;
      break;
    case 'faq':
      page = <FaqPage />;
      break;
    case 'categories':
      page = <CategoriesPage />;
      break;
    case 'petitions':
      page = <PetitionsPage />;
      break;
    case 'retention':
      page = <RetentionPage />;
      break;
    case 'toPlace':
      page = <ToPlacePage />;
      break;
    case 'reports':
      page = (
        <Suspense fallback={<p className="loading">{t('loading')}</p>}>
          <ReportsArea search={route.search} />
        </Suspense>
      );
      break;
    case 'flows':
    case 'flow':
    case 'flowEditor':
      page = (
        <Suspense fallback={<p className="loading">{t('loading')}</p>}>
          <FlowsArea route={route} />
        </Suspense>
      );
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
        <div className="navs">
          <nav aria-label={t('navWork')}>
            <Link to="/queue" active={current === 'queue'} testId="nav-queue">
              {t('navQueue')}
            </Link>
            <Link to="/cases" active={current === 'cases'} testId="nav-cases">
              {t('navCases')}
            </Link>
            {nav.reports ? (
              <Link to="/reports" active={current === 'reports'} testId="nav-reports">
                {t('reports.nav')}
              </Link>
            ) : null}
            {nav.petitions ? (
              <Link to="/petitions" active={current === 'petitions'} testId="nav-petitions">
                {t('petitions.nav')}
              </Link>
            ) : null}
            {nav.dataRequests ? (
              <Link to="/data-requests" active={current === 'dataRequests'} testId="nav-data-requests">
                {t('privacy.nav')}
              </Link>
            ) : null}
            {nav.settings ? (
              <Link to="/to-place" active={route.page === 'toPlace'} testId="nav-to-place">
                {t('place.nav')}
              </Link>
            ) : null}
          </nav>
          {/* The center's own settings and records, smaller, under the daily work. */}
          <nav className="admin-nav" aria-label={t('navAdmin')}>
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
            {nav.faq ? (
              <Link to="/faq" active={current === 'faq'} testId="nav-faq">
                {t('faq.nav')}
              </Link>
            ) : null}
            {nav.categories ? (
              <Link to="/categories" active={current === 'categories'} testId="nav-categories">
                {t('categories.nav')}
              </Link>
            ) : null}
            {nav.retention ? (
              <Link to="/retention" active={current === 'retention'} testId="nav-retention">
                {t('retention.nav')}
              </Link>
            ) : null}
            {nav.flows ? (
              <Link to="/flows" active={current === 'flows'} testId="nav-flows">
                {t('flows.nav')}
              </Link>
            ) : null}
          </nav>
        </div>
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

