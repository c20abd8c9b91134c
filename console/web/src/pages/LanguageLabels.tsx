/** The language layer's labels in the page's words: intents and topics (categories are i18n's codeLabel). */
import type { Key, T } from '../i18n';
// The label lists only (plain constants): the page never loads the model.
import { INTENTS, SUBJECTS } from '../../../../language/intents';

export const intentLabel = (t: T, intent: string): string => ((INTENTS as readonly string[]).includes(intent) ? t(`intent.${intent}` as Key) : intent);
export const topicLabel = (t: T, topic: string): string => ((SUBJECTS as readonly string[]).includes(topic) ? t(`topic.${topic}` as Key) : topic);
