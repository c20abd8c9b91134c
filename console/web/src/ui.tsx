/**
 * What every page shares: the signed-in officer, the language and its texts (a context the App provides), the
 * navigation's pure rules, and links that move without a page load. Pages import this, never the App, so the App
 * can import the pages.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Officer } from './api';
import type { Lang, T } from './i18n';
import { BASE, navigate, type Route } from './router';

export interface Ui {
  lang: Lang;
  t: T;
  officer: Officer;
}

export const UiContext = createContext<Ui | null>(null);
export const useUi = (): Ui => useContext(UiContext)!;

/**
 * Pure: the pages a role is offered in the navigation. Only an offer: the server refuses a page's API to a role
 * that may not use it (district.configure for settings, officer.create and audit.read for the admin pages).
 */
export function navFor(role: string): { settings: boolean; accounts: boolean; audit: boolean; language: boolean; dataRequests: boolean; faq: boolean; categories: boolean; retention: boolean; flows: boolean; petitions: boolean; reports: boolean } {
  const overseer = role === 'supervisor' || role === 'admin';
  return { settings: overseer, accounts: role === 'admin', audit: role === 'admin', language: role === 'admin', dataRequests: overseer, faq: overseer, categories: overseer, retention: overseer, flows: overseer, petitions: overseer, reports: overseer || role === 'officer' };
}

/** Pure: the navigation entry a page belongs to. */
export function sectionOf(page: Route['page']): 'queue' | 'cases' | 'settings' | 'accounts' | 'audit' | 'language' | 'dataRequests' | 'faq' | 'categories' | 'retention' | 'flows' | 'petitions' | 'reports' {
  switch (page) {
    case 'categories':
      return 'categories';
    case 'reports':
      return 'reports';
    case 'petitions':
      return 'petitions';
    case 'faq':
      return 'faq';
    case 'flows':
    case 'flow':
    case 'flowEditor':
      return 'flows';
    case 'retention':
      return 'retention';
    case 'dataRequests':
    case 'dataRequest':
      return 'dataRequests';
    case 'cases':
    case 'case':
    case 'newCase':
    case 'receipt':
      return 'cases';
    case 'settings':
    case 'districtSettings':
      return 'settings';
    case 'accounts':
    case 'audit':
    case 'language':
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
