/**
 * The categories as shipped: what migration 0026 seeded the table with, as CaseCategory values, for tools and
 * tests that run without a database (scripts/seed-reports.ts, pure tests). The product never reads this: it reads
 * the table, where admins may have changed every one of these.
 */
import type { CaseCategory } from './types';

const shipped = (
  code: string,
  th: string,
  en: string,
  rules: Partial<Pick<CaseCategory, 'confidential' | 'consentRequired' | 'nationalIdRequired' | 'anonymousAllowed'>>,
  order: number,
): CaseCategory => ({
  code,
  name: { th, en },
  confidential: false,
  consentRequired: false,
  nationalIdRequired: false,
  anonymousAllowed: false,
  ...rules,
  deadlineDays: null,
  retiredAt: null,
  sortOrder: order,
  createdAt: 0,
  updatedAt: 0,
  updatedBy: 'shipped',
});

export const SHIPPED_CATEGORIES: readonly CaseCategory[] = Object.freeze([
  shipped('complaint', 'ร้องเรียน/ร้องทุกข์', 'Complaint / grievance', {}, 10),
  shipped('assistance', 'ขอความช่วยเหลือ', 'Request for assistance', { consentRequired: true }, 20),
  shipped('justice', 'ขอความเป็นธรรม', 'Request for fair treatment', { consentRequired: true, nationalIdRequired: true }, 30),
  shipped('official_conduct', 'ร้องเรียนพฤติกรรมเจ้าหน้าที่รัฐ', 'Conduct of a public official', { confidential: true, nationalIdRequired: true }, 40),
  shipped('tip_off', 'แจ้งเบาะแส', 'Tip-off', { anonymousAllowed: true }, 50),
  shipped('information', 'ขอข้อมูล/สอบถาม', 'Information request', {}, 60),
  shipped('consultation', 'ขอคำปรึกษา', 'Consultation', { consentRequired: true }, 70),
  shipped('suggestion', 'ข้อเสนอแนะ', 'Suggestion', {}, 80),
]);
