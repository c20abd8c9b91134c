/** What an example may say its words mean: the language layer's intents, categories and topics, one schema. */
import { z } from 'zod';
import { CATEGORIES, INTENTS, SUBJECTS } from '../../../language';

const complaintOnly = (l: { intent: string; category?: string | undefined; topic?: string | undefined }) =>
  l.intent === 'complaint' || (l.category === undefined && l.topic === undefined);
const complaintOnlyMessage = { message: 'a category and a topic are for complaints only', path: ['category'] };

export const labelFields = {
  intent: z.enum(INTENTS),
  category: z.enum(CATEGORIES).optional(),
  topic: z.enum(SUBJECTS).optional(),
};

/** POST /language/samples/:id/example */
export const sampleExampleBody = z.strictObject(labelFields).refine(complaintOnly, complaintOnlyMessage);

/** POST /language/examples: the words typed by the admin, and what they mean. */
export const typedExampleBody = z
  .strictObject({ text: z.string().trim().min(1, 'the text is empty').max(1000), ...labelFields })
  .refine(complaintOnly, complaintOnlyMessage);
