/** What a category is and the rules that go with it: what an admin gives, and what the center keeps. */
export interface CategoryInput {
  /** What a case keeps (cases.category), a flow names and a report counts by: a-z, 0-9 and _. Never changes. */
  code: string;
  name: { th: string; en: string };
  /** Its cases are for supervisors only: complaints about officials. Their notices go to the province, without the story. */
  confidential: boolean;
  /** Consent is asked before its story is taken: the kinds of matter likely to carry sensitive data (PDPA s.26). */
  consentRequired: boolean;
  /** The complainant's national ID is required. */
  nationalIdRequired: boolean;
  /** It may be filed without a name (a tip-off): the bot says the outcome then cannot be sent back. */
  anonymousAllowed: boolean;
  /** Days until the complainant must have heard how it goes; null: the center's PROGRESS_NOTICE_DAYS. */
  deadlineDays: number | null;
  sortOrder?: number | undefined;
}

/**
 * A case category as the center keeps it (the `category` table, storage/migrations/0026-categories.ts): the code a
 * case is filed under, its names, and the rules that go with it. Admins add, edit and retire them in the console.
 */
export interface CaseCategory extends CategoryInput {
  /** When it was retired (epoch ms): no new case is filed into it; its old cases keep it. Null while in use. */
  retiredAt: number | null;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

export type CategoryEdit = Omit<CategoryInput, 'code'>;
