/** Ratings citizens give: of a case when it ended, of a chat when an officer closed it (survey_response). */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { maskNumbersInText } from '../flows/engine/format';

export interface SurveyResponse {
  caseId: number | null;
  chatId: string;
  subject: 'case' | 'chat';
  /** 1-5; anything else is kept as 0 (not answered). */
  rating: number;
  comment: string;
  at: number;
}

/**
 * Keeps the rating, and the comment with any phone or ID number in it masked, encrypted: what a person types about
 * how they were treated can name them or others.
 */
export async function saveSurveyResponse(tx: Pick<Tx, 'query'>, cipher: DataCipher, r: SurveyResponse): Promise<void> {
  const rating = Number.isInteger(r.rating) && r.rating >= 1 && r.rating <= 5 ? r.rating : 0;
  await tx.query('INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6)', [
    r.caseId,
    r.chatId,
    r.subject,
    rating,
    cipher.encryptOptional(maskNumbersInText(r.comment.trim())),
    r.at,
  ]);
}
