import { area } from './area';

/** The queue pages' words. */
export const queueTexts = area({
  th: {
    // The first-answer clock of a handoff: what the citizen was told.
    'queue.answerBy': 'ควรตอบภายใน {time}',
    'queue.overdueBy': 'เกินเวลาตอบ {time}',
  },
  en: {
    'queue.answerBy': 'Answer by {time}',
    'queue.overdueBy': 'Overdue by {time}',
  },
});
