/**
 * Royal petitions (ฎีกา) and matters of the monarchy follow their own procedure (the Privy Council Office's
 * criteria, reported through E-Report): the bot never files them as complaints; an officer takes the chat. This
 * recognises the wording, anywhere in a message. A false alarm costs an officer a look; a miss files a petition
 * the wrong way, so the list leans wide.
 */
import { normalize } from '../inputs/normalize';

const THAI = ['ฎีกา', 'ฏีกา', 'ทูลเกล้า', 'พระราชทาน', 'สถาบันพระมหากษัตริย์', 'พระมหากษัตริย์', 'ในหลวง', 'พระบรมราชานุเคราะห์',
  'พระราชานุเคราะห์', 'ร้องถวาย', 'ถวายฎีกา', 'พระบรมวงศานุวงศ์', 'พระราชวัง', 'สำนักพระราชวัง', 'องคมนตรี', 'ราชสำนัก'];
const ENGLISH = /\b(royal petitions?|petition (to )?the king|the king|his majesty|monarchy|royal family|privy council)\b/i;

export function mentionsMonarchy(text: string): boolean {
  const t = normalize(text);
  const compact = t.replace(/\s+/g, '');
  return THAI.some((w) => compact.includes(w)) || ENGLISH.test(t);
}
