/**
 * The flows of the engine micro-benchmark, built in code: `bench50`, a 50-node request for help (say, ask of six
 * input types, choose with 5 to 8 options and synonyms, branch on and/or/regex/in/equals/exists, a call, a
 * handoff, ends) and `bench50_contact`, the small flow it calls. Also the conversation that answers every
 * question of bench50 from the main menu to the end, and the shipped menu (the engine starts flows from it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ChooseOption, Condition, FlowDefinition, FlowNode } from '../../flows/definition/types';
import { validateFlow } from '../../flows/definition/validate';
import { nationalIdCheckDigit } from '../../flows/inputs';
import { validationContext } from '../../flows/registry';

export const BENCH_FLOW = 'bench50';
export const CONTACT_FLOW = 'bench50_contact';
const shippedDir = join(import.meta.dirname, '..', '..', 'flows', 'definitions');

type Texts = { th: Record<string, string>; en: Record<string, string> };

/** A tiny builder: nodes in order, texts added next to the node that uses them. */
class FlowBuilder {
  readonly nodes: Record<string, FlowNode> = {};
  readonly texts: Texts = { th: {}, en: {} };

  text(key: string, th: string, en: string): string {
    this.texts.th[key] = th;
    this.texts.en[key] = en;
    return key;
  }

  say(id: string, th: string, en: string, next: string): this {
    this.nodes[id] = { kind: 'say', messages: [{ text: this.text(id, th, en) }], next };
    return this;
  }

  ask(
    id: string,
    type: string,
    slot: string,
    prompt: [th: string, en: string],
    reprompt: [th: string, en: string],
    next: string,
    extra: { options?: Record<string, unknown>; onGiveUp?: string } = {},
  ): this {
    this.nodes[id] = {
      kind: 'ask',
      input: extra.options ? { type, options: extra.options } : { type },
      slot,
      prompt: this.text(`${id}_ask`, ...prompt),
      reprompt: this.text(`${id}_again`, ...reprompt),
      retries: 3,
      next,
      ...(extra.onGiveUp ? { onGiveUp: extra.onGiveUp } : {}),
    };
    return this;
  }

  choose(
    id: string,
    slot: string,
    prompt: [th: string, en: string],
    options: Array<{ value: string; th: string; en: string; synonyms: string[]; next: string }>,
  ): this {
    this.nodes[id] = {
      kind: 'choose',
      prompt: this.text(`${id}_ask`, ...prompt),
      slot,
      options: options.map(
        (o): ChooseOption => ({ label: this.text(`${id}_${o.value}`, o.th, o.en), value: o.value, synonyms: o.synonyms, next: o.next }),
      ),
    };
    return this;
  }

  branch(id: string, cases: Array<[Condition, string]>, otherwise: string): this {
    this.nodes[id] = { kind: 'branch', cases: cases.map(([when, next]) => ({ when, next })), otherwise };
    return this;
  }
}

const eq = (slot: string, value: string | number | boolean): Condition => ({ equals: [slot, value] });

function bench50(): FlowDefinition {
  const b = new FlowBuilder();
  b.text('title', 'ขอความช่วยเหลือ (ทดสอบสมรรถนะ)', 'Request for help (benchmark)');
  b.say('intro', 'ศูนย์ดำรงธรรมยินดีช่วยเหลือค่ะ ขอถามข้อมูลทีละข้อ ใช้เวลาประมาณ 5 นาที', 'The Damrongdhama Center is glad to help. A few questions, one at a time; about 5 minutes.', 'consent');
  b.ask('consent', 'yes-no', 'consent',
    ['ยินยอมให้ศูนย์ดำรงธรรมเก็บข้อมูลส่วนบุคคลเพื่อดำเนินเรื่องของท่านไหมคะ', 'Do you agree that the center keeps your personal data to handle your request?'],
    ['กรุณาตอบ ใช่ หรือ ไม่ใช่ ค่ะ', 'Please answer yes or no.'], 'consent_check');
  b.branch('consent_check', [[eq('consent', true), 'topic']], 'not_sent');
  b.choose('topic', 'topic', ['เรื่องที่ต้องการความช่วยเหลือเป็นเรื่องใดคะ', 'What is the matter about?'], [
    { value: 'land', th: 'ที่ดิน', en: 'Land', synonyms: ['โฉนด', 'ที่ดินทำกิน', 'land'], next: 'topic_check' },
    { value: 'debt', th: 'หนี้สิน', en: 'Debt', synonyms: ['หนี้นอกระบบ', 'เจ้าหนี้', 'เงินกู้', 'loan'], next: 'topic_check' },
    { value: 'consumer', th: 'ผู้บริโภค', en: 'Consumer', synonyms: ['ซื้อของ', 'สินค้า', 'shopping'], next: 'topic_check' },
    { value: 'environment', th: 'สิ่งแวดล้อม', en: 'Environment', synonyms: ['ขยะ', 'น้ำเสีย', 'ฝุ่น', 'pollution'], next: 'topic_check' },
    { value: 'official', th: 'การให้บริการของรัฐ', en: 'Public service', synonyms: ['ราชการ', 'หน่วยงานรัฐ', 'government'], next: 'topic_check' },
    { value: 'welfare', th: 'สวัสดิการ', en: 'Welfare', synonyms: ['เบี้ยยังชีพ', 'บัตรคนจน', 'allowance'], next: 'topic_check' },
    { value: 'family', th: 'ครอบครัว', en: 'Family', synonyms: ['มรดก', 'หย่า', 'inheritance'], next: 'topic_check' },
    { value: 'other', th: 'เรื่องอื่น', en: 'Other', synonyms: ['อื่นๆ', 'อื่น ๆ', 'something else'], next: 'topic_check' },
  ]);
  b.branch('topic_check', [[{ or: [eq('topic', 'land'), eq('topic', 'debt')] }, 'legal_note']], 'story');
  b.say('legal_note', 'เรื่องที่ดินและหนี้สิน ศูนย์ดำรงธรรมประสานนิติกรให้คำปรึกษาได้ค่ะ', 'For land and debt matters the center can arrange advice from a legal officer.', 'story');
  b.ask('story', 'text', 'story',
    ['กรุณาเล่าเหตุการณ์ที่เกิดขึ้นค่ะ', 'Please tell us what happened.'],
    ['ขอรายละเอียดเพิ่มอีกนิดค่ะ', 'A few more details, please.'], 'when', { options: { min: 10, max: 3000 } });
  b.ask('when', 'date', 'when',
    ['เหตุการณ์เกิดขึ้นเมื่อวันที่เท่าไรคะ', 'On what date did it happen?'],
    ['ขออภัยค่ะ ยังอ่านวันที่ไม่ออก', 'Sorry, that date could not be read.'], 'when_check');
  b.branch('when_check', [[{ regex: ['when', '^2026-'] }, 'recent_note']], 'old_note');
  b.say('recent_note', 'เป็นเหตุการณ์ในปีนี้ ศูนย์จะเร่งตรวจสอบให้ค่ะ', 'It happened this year; the center will look into it promptly.', 'amount');
  b.say('old_note', 'เหตุการณ์เกิดขึ้นนานแล้ว อาจต้องใช้เอกสารเพิ่มเติมค่ะ', 'It happened some time ago; more documents may be needed.', 'amount');
  b.ask('amount', 'number', 'amount',
    ['ความเสียหายเป็นเงินประมาณกี่บาทคะ (ไม่มีพิมพ์ 0)', 'About how much money is at stake, in baht? (0 if none)'],
    ['กรุณาพิมพ์เป็นตัวเลขค่ะ', 'Please type a number.'], 'amount_check', { options: { min: 0, max: 100_000_000 } });
  b.branch('amount_check', [[{ and: [{ exists: 'amount' }, { in: ['topic', ['debt', 'consumer']] }] }, 'lenders']], 'people');
  b.ask('lenders', 'number', 'lenders',
    ['มีเจ้าหนี้หรือผู้ขายกี่รายคะ', 'How many lenders or sellers are involved?'],
    ['กรุณาพิมพ์จำนวนเป็นตัวเลขค่ะ', 'Please type a whole number.'], 'people', { options: { min: 1, max: 50, integer: true } });
  b.ask('people', 'number', 'people',
    ['มีผู้ได้รับผลกระทบกี่คนคะ', 'How many people are affected?'],
    ['กรุณาพิมพ์จำนวนคนเป็นตัวเลขค่ะ', 'Please type a number of people.'], 'party', { options: { min: 1, max: 10_000, integer: true } });
  b.choose('party', 'party', ['คู่กรณีเป็นใครคะ', 'Who is the other party?'], [
    { value: 'neighbour', th: 'เพื่อนบ้าน', en: 'Neighbour', synonyms: ['ข้างบ้าน', 'neighbor'], next: 'party_check' },
    { value: 'company', th: 'บริษัท/ร้านค้า', en: 'Company or shop', synonyms: ['บริษัท', 'ร้านค้า', 'shop'], next: 'party_check' },
    { value: 'official', th: 'หน่วยงานรัฐ', en: 'Government agency', synonyms: ['เจ้าหน้าที่รัฐ', 'ข้าราชการ', 'agency'], next: 'party_check' },
    { value: 'lender', th: 'เจ้าหนี้', en: 'Lender', synonyms: ['นายทุน', 'คนปล่อยกู้', 'loan shark'], next: 'party_check' },
    { value: 'relative', th: 'ญาติ', en: 'Relative', synonyms: ['พี่น้อง', 'family member'], next: 'party_check' },
    { value: 'unknown', th: 'ไม่ทราบ/อื่นๆ', en: 'Unknown or other', synonyms: ['ไม่ทราบ', 'ไม่รู้', "don't know"], next: 'party_check' },
  ]);
  b.branch('party_check', [
    [eq('party', 'official'), 'official_note'],
    [{ or: [eq('party', 'company'), eq('party', 'lender')] }, 'party_name'],
  ], 'region');
  b.say('official_note', 'เรื่องเกี่ยวกับหน่วยงานรัฐ ศูนย์จะส่งต่อให้ผู้บังคับบัญชาของหน่วยงานนั้นค่ะ', 'Matters about an agency are passed to that agency\'s superiors.', 'official_agency');
  b.ask('official_agency', 'text', 'agencyName',
    ['หน่วยงานนั้นชื่ออะไรคะ', 'What is the agency called?'],
    ['กรุณาพิมพ์ชื่อหน่วยงานค่ะ', 'Please type the agency\'s name.'], 'region', { options: { min: 2, max: 200 } });
  b.ask('party_name', 'text', 'partyName',
    ['คู่กรณีชื่ออะไรคะ (ชื่อบุคคลหรือร้านค้า)', 'What is the other party\'s name (a person or a shop)?'],
    ['กรุณาพิมพ์ชื่อคู่กรณีค่ะ', 'Please type the other party\'s name.'], 'region', { options: { min: 2, max: 200 } });
  b.choose('region', 'region', ['เหตุเกิดที่ภาคใดคะ', 'In which region did it happen?'], [
    { value: 'bangkok', th: 'กรุงเทพฯ และปริมณฑล', en: 'Bangkok area', synonyms: ['กรุงเทพ', 'กทม', 'bangkok'], next: 'district' },
    { value: 'north', th: 'ภาคเหนือ', en: 'North', synonyms: ['เหนือ', 'northern'], next: 'district' },
    { value: 'northeast', th: 'ภาคตะวันออกเฉียงเหนือ', en: 'Northeast', synonyms: ['อีสาน', 'isan', 'isaan'], next: 'district' },
    { value: 'central', th: 'ภาคกลาง', en: 'Central', synonyms: ['กลาง', 'central plains'], next: 'district' },
    { value: 'east', th: 'ภาคตะวันออก', en: 'East', synonyms: ['ตะวันออก', 'eastern'], next: 'district' },
    { value: 'west', th: 'ภาคตะวันตก', en: 'West', synonyms: ['ตะวันตก', 'western'], next: 'district' },
    { value: 'south', th: 'ภาคใต้', en: 'South', synonyms: ['ใต้', 'southern'], next: 'district' },
  ]);
  b.ask('district', 'text', 'district',
    ['อยู่ในอำเภอและจังหวัดใดคะ', 'Which district and province?'],
    ['กรุณาพิมพ์ชื่ออำเภอและจังหวัดค่ะ', 'Please type the district and province.'], 'full_name', { options: { min: 2, max: 200 } });
  b.ask('full_name', 'text', 'fullName',
    ['ขอทราบชื่อและนามสกุลของผู้แจ้งค่ะ', 'Your first name and family name, please.'],
    ['กรุณาพิมพ์ชื่อและนามสกุลค่ะ', 'Please type your first name and family name.'], 'national_id', { options: { min: 2, max: 120 } });
  b.ask('national_id', 'national-id', 'nationalId',
    ['ขอเลขประจำตัวประชาชน 13 หลักค่ะ', 'Your 13-digit national ID number, please.'],
    ['ขออภัยค่ะ เลขประจำตัวประชาชนยังไม่ถูกต้อง', 'Sorry, that national ID number is not valid.'], 'id_check', { onGiveUp: 'to_officer' });
  b.nodes.to_officer = { kind: 'handoff', reason: 'national-id', message: b.text('to_officer', 'เจ้าหน้าที่จะช่วยตรวจสอบข้อมูลให้ค่ะ', 'An officer will help you check the details.') };
  b.branch('id_check', [
    [{ and: [{ regex: ['nationalId', '^[1-8]\\d{12}$'] }, { or: [{ exists: 'fullName' }, { exists: 'partyName' }] }] }, 'id_thanks'],
  ], 'id_note');
  b.say('id_note', 'เลขประจำตัวนี้เป็นของผู้ที่ไม่มีสัญชาติไทย เจ้าหน้าที่อาจขอเอกสารเพิ่มค่ะ', 'This ID belongs to a non-Thai national; an officer may ask for documents.', 'phone');
  b.say('id_thanks', 'ขอบคุณค่ะ คุณ{{fullName}} บันทึกเลขประจำตัว {{nationalId}} แล้ว', 'Thank you, {{fullName}}. ID {{nationalId}} noted.', 'phone');
  b.ask('phone', 'phone', 'phone',
    ['เบอร์โทรศัพท์ที่เจ้าหน้าที่ติดต่อกลับได้คะ', 'A phone number where an officer can call you back?'],
    ['ขออภัยค่ะ เบอร์โทรศัพท์ยังไม่ถูกต้อง', 'Sorry, that phone number is not valid.'], 'phone_check');
  b.branch('phone_check', [[{ regex: ['phone', '^\\+66[689]'] }, 'contact_time']], 'landline_note');
  b.say('landline_note', 'เบอร์บ้านอาจติดต่อได้เฉพาะเวลาราชการนะคะ', 'A landline may only be called during office hours.', 'contact_time');
  b.choose('contact_time', 'contactTime', ['สะดวกให้ติดต่อกลับช่วงไหนคะ', 'When should we call you back?'], [
    { value: 'morning', th: 'ช่วงเช้า', en: 'Morning', synonyms: ['เช้า', 'am'], next: 'birth_date' },
    { value: 'noon', th: 'ช่วงเที่ยง', en: 'Around noon', synonyms: ['เที่ยง', 'lunch'], next: 'birth_date' },
    { value: 'afternoon', th: 'ช่วงบ่าย', en: 'Afternoon', synonyms: ['บ่าย', 'pm'], next: 'birth_date' },
    { value: 'evening', th: 'ช่วงเย็น', en: 'Evening', synonyms: ['เย็น', 'หลังเลิกงาน'], next: 'birth_date' },
    { value: 'anytime', th: 'เวลาใดก็ได้', en: 'Any time', synonyms: ['ได้ทุกเวลา', 'ตลอด', 'whenever'], next: 'birth_date' },
  ]);
  b.ask('birth_date', 'date', 'birthDate',
    ['วันเกิดของผู้แจ้งคะ', 'Your date of birth?'],
    ['ขออภัยค่ะ ยังอ่านวันเกิดไม่ออก', 'Sorry, that date of birth could not be read.'], 'household');
  b.ask('household', 'number', 'household',
    ['ในบ้านมีสมาชิกกี่คนคะ', 'How many people live in your household?'],
    ['กรุณาพิมพ์จำนวนคนค่ะ', 'Please type a number of people.'], 'income', { options: { min: 1, max: 30, integer: true } });
  b.ask('income', 'number', 'income',
    ['รายได้ของครอบครัวเดือนละประมาณกี่บาทคะ', 'About how much does the household earn a month, in baht?'],
    ['กรุณาพิมพ์เป็นตัวเลขค่ะ', 'Please type a number.'], 'welfare', { options: { min: 0, max: 10_000_000 } });
  b.ask('welfare', 'yes-no', 'welfare',
    ['มีบัตรสวัสดิการแห่งรัฐไหมคะ', 'Do you hold a state welfare card?'],
    ['กรุณาตอบ ใช่ หรือ ไม่ใช่ ค่ะ', 'Please answer yes or no.'], 'welfare_check');
  b.branch('welfare_check', [[eq('welfare', true), 'card_note']], 'helped_before');
  b.say('card_note', 'ผู้ถือบัตรสวัสดิการอาจได้รับความช่วยเหลือเพิ่มเติมค่ะ', 'Welfare card holders may get further help.', 'helped_before');
  b.ask('helped_before', 'yes-no', 'helpedBefore',
    ['เคยแจ้งเรื่องนี้กับหน่วยงานอื่นมาก่อนไหมคะ', 'Have you reported this to another agency before?'],
    ['กรุณาตอบ ใช่ หรือ ไม่ใช่ ค่ะ', 'Please answer yes or no.'], 'helped_check');
  b.branch('helped_check', [[eq('helpedBefore', true), 'agency']], 'urgency');
  b.choose('agency', 'agency', ['เคยแจ้งที่หน่วยงานใดคะ', 'Which agency did you report it to?'], [
    { value: 'district', th: 'ที่ว่าการอำเภอ', en: 'District office', synonyms: ['อำเภอ', 'district'], next: 'urgency' },
    { value: 'police', th: 'สถานีตำรวจ', en: 'Police', synonyms: ['ตำรวจ', 'โรงพัก', 'police station'], next: 'urgency' },
    { value: 'local', th: 'อบต./เทศบาล', en: 'Local government', synonyms: ['อบต', 'เทศบาล', 'municipality'], next: 'urgency' },
    { value: 'province', th: 'ศาลากลางจังหวัด', en: 'Provincial hall', synonyms: ['จังหวัด', 'ศาลากลาง', 'province'], next: 'urgency' },
    { value: 'court', th: 'ศาล', en: 'Court', synonyms: ['ฟ้องศาล', 'court case'], next: 'urgency' },
    { value: 'other', th: 'หน่วยงานอื่น', en: 'Another agency', synonyms: ['อื่นๆ', 'other'], next: 'urgency' },
  ]);
  b.choose('urgency', 'urgency', ['เรื่องนี้เร่งด่วนแค่ไหนคะ', 'How urgent is it?'], [
    { value: 'danger', th: 'มีอันตรายต่อชีวิต', en: 'Life in danger', synonyms: ['อันตราย', 'danger'], next: 'urgency_check' },
    { value: 'urgent', th: 'เร่งด่วน', en: 'Urgent', synonyms: ['ด่วน', 'ด่วนมาก', 'asap'], next: 'urgency_check' },
    { value: 'soon', th: 'ภายในสัปดาห์นี้', en: 'Within a week', synonyms: ['สัปดาห์นี้', 'this week'], next: 'urgency_check' },
    { value: 'normal', th: 'ไม่เร่งด่วน', en: 'Not urgent', synonyms: ['ปกติ', 'ไม่รีบ', 'normal'], next: 'urgency_check' },
    { value: 'info', th: 'แจ้งไว้เป็นข้อมูล', en: 'For information only', synonyms: ['ข้อมูล', 'fyi'], next: 'urgency_check' },
  ]);
  b.branch('urgency_check', [
    [{ or: [eq('urgency', 'danger'), { and: [eq('urgency', 'urgent'), { in: ['topic', ['land', 'debt', 'family']] }] }] }, 'urgent_note'],
  ], 'contact');
  b.say('urgent_note', 'เรื่องนี้จะถูกส่งถึงเจ้าหน้าที่ภายในวันนี้ค่ะ', 'This will reach an officer today.', 'contact');
  b.nodes.contact = { kind: 'call', flow: CONTACT_FLOW, next: 'summary' };
  b.say(
    'summary',
    'สรุปคำขอของท่าน\n• เรื่อง: {{topic}}\n• วันที่เกิดเหตุ: {{when}}\n• ความเสียหาย: {{amount}} บาท\n• คู่กรณี: {{party}} {{partyName}}\n• พื้นที่: {{region}} {{district}}\n• ผู้แจ้ง: {{fullName}} ({{nationalId}})\n• โทร: {{phone}} {{contactTime}}\n• ความเร่งด่วน: {{urgency}}',
    'Your request\n• Matter: {{topic}}\n• Date: {{when}}\n• At stake: {{amount}} baht\n• Other party: {{party}} {{partyName}}\n• Area: {{region}} {{district}}\n• Filed by: {{fullName}} ({{nationalId}})\n• Phone: {{phone}} {{contactTime}}\n• Urgency: {{urgency}}',
    'confirm',
  );
  b.ask('confirm', 'yes-no', 'confirmed',
    ['ส่งคำขอนี้ให้ศูนย์ดำรงธรรมเลยไหมคะ', 'Send this request to the Damrongdhama Center now?'],
    ['กรุณาตอบ ใช่ หรือ ไม่ใช่ ค่ะ', 'Please answer yes or no.'], 'confirm_check');
  b.branch('confirm_check', [[eq('confirmed', true), 'done']], 'not_sent');
  b.nodes.done = { kind: 'end', message: b.text('done', 'ศูนย์ดำรงธรรมได้รับคำขอของท่านแล้วเมื่อ {{date}} ขอบคุณค่ะ', 'The center received your request on {{date}}. Thank you.') };
  b.nodes.not_sent = { kind: 'end', message: b.text('not_sent', 'ยังไม่ได้ส่งคำขอค่ะ', 'Nothing was sent.') };

  return {
    id: BENCH_FLOW,
    version: 1,
    texts: b.texts,
    keywords: { th: ['ทดสอบสมรรถนะ'], en: ['benchmark'] },
    start: 'intro',
    nodes: b.nodes,
  };
}

function contactFlow(): FlowDefinition {
  const b = new FlowBuilder();
  b.ask('line_ok', 'yes-no', 'lineOk',
    ['ให้เจ้าหน้าที่แจ้งความคืบหน้าทาง LINE ได้ไหมคะ', 'May an officer update you in this LINE chat?'],
    ['กรุณาตอบ ใช่ หรือ ไม่ใช่ ค่ะ', 'Please answer yes or no.'], 'line_check');
  b.branch('line_check', [[eq('lineOk', true), 'email']], 'finished');
  b.ask('email', 'email', 'email',
    ['ขออีเมลสำหรับส่งเอกสารด้วยค่ะ', 'An e-mail address for documents, please.'],
    ['ขออภัยค่ะ อีเมลยังไม่ถูกต้อง', 'Sorry, that e-mail address is not valid.'], 'finished');
  b.nodes.finished = { kind: 'end' };
  return { id: CONTACT_FLOW, version: 1, texts: b.texts, start: 'line_ok', nodes: b.nodes };
}

const shipped = (file: string) => parse(readFileSync(join(shippedDir, file), 'utf8')) as FlowDefinition;

/** A valid 13-digit national ID built from its first 12 digits. */
export const withCheckDigit = (first12: string) => `${first12}${nationalIdCheckDigit(first12)}`;

/** The answers that take bench50 from the main menu to its end, each a typed text, as a citizen would. */
export const CONVERSATION: readonly string[] = [
  'ทดสอบสมรรถนะ', // at the menu: starts bench50 by its keyword (intro + consent)
  'ใช่', // consent
  'หนี้นอกระบบ', // topic, by a synonym → legal_note
  'ถูกเจ้าหนี้นอกระบบทวงหนี้ด้วยการข่มขู่ที่บ้านทุกวัน คิดดอกเบี้ยร้อยละ 20 ต่อเดือน', // story
  '3 พ.ย. 2569', // when → regex → recent_note
  '50,000', // amount → and/exists/in → lenders
  '2', // lenders
  '4', // people
  'นายทุน', // party, by a synonym → or → party_name
  'นายสมศักดิ์ ใจร้าย', // partyName
  'อีสาน', // region
  'อำเภอเมือง จังหวัดขอนแก่น', // district
  'สมชาย ใจดี', // fullName
  withCheckDigit('110170023070'), // nationalId → and/or/regex → id_thanks (say) → phone   ← the measured step
  '081 234 5678', // phone → regex → contact_time
  'ช่วงเช้า', // contactTime
  '12/05/2528', // birthDate
  '5', // household
  '9,000', // income
  'ใช่', // welfare → card_note
  'ใช่', // helpedBefore → agency
  'อำเภอ', // agency
  'ด่วน', // urgency → or/and/in → urgent_note → call bench50_contact → line_ok
  'ได้', // lineOk → email
  'somchai@example.com', // email → end of the sub-flow → summary (say) → confirm
  'ยืนยัน', // confirmed → done (end)
];
/** Index in CONVERSATION of the answer measured as "one step in the middle of the flow". */
export const MIDDLE_STEP = 13;

/** bench50, its sub-flow, and the shipped menu and complaint flows (the menu calls complaint); all validated. */
export function benchFlows(): FlowDefinition[] {
  const flows = [bench50(), contactFlow(), shipped('menu.yaml'), shipped('complaint.yaml')];
  const ids = flows.map((f) => f.id);
  for (const f of flows) {
    const r = validateFlow(f, validationContext(`${f.id}.flow`, ids));
    if (!r.ok) throw new Error(`${f.id} does not validate:\n${r.errors.map((e) => `  ${e.path}: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}`).join('\n')}`);
  }
  const count = Object.keys(flows[0]!.nodes).length;
  if (count !== 50) throw new Error(`bench50 has ${count} nodes, not 50`);
  return flows;
}
