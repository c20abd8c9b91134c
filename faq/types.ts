import type { Locale } from '../flows/engine/state';

/** Thai first, English too: every text an admin writes for citizens exists in both. */
export type Bilingual<T> = Readonly<Record<Locale, T>>;

/**
 * One question and its answer, as admins edit it and the bot reads it. Keywords are what a citizen might type
 * ("เปิดกี่โมง", "office hours"); the words of the question count too, more weakly (see match.ts).
 */
export interface FaqEntry {
  id: number;
  /** Set on the shipped defaults only ("hours", "fees" ...): what makes seeding idempotent. */
  key: string | null;
  question: Bilingual<string>;
  answer: Bilingual<string>;
  keywords: Bilingual<readonly string[]>;
  /** A removed entry stays, inactive: its history and its key are kept, and an admin can bring it back. */
  active: boolean;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

/** What an admin sends to create or replace an entry (validated by faqEntryInput in schema.ts). */
export interface FaqEntryInput {
  question: Bilingual<string>;
  answer: Bilingual<string>;
  keywords: Bilingual<readonly string[]>;
  sortOrder?: number;
  active?: boolean;
}
