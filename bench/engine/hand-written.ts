/**
 * The baseline of the engine benchmark: the same conversation steps as bench50's, written as code instead of
 * data. A switch on the current question, the answer read by the same parser from flows/inputs, the branch as an
 * `if`, and the LINE message objects built with template strings. It answers the questions around the measured
 * step (full_name, national_id, phone) and produces exactly the state and messages the engine does there (the
 * runner checks that before it measures). Like the engine it looks for a global command first ("ยกเลิก").
 */
import type { ConversationState, OutMessage } from '../../flows/engine';
import { maskNationalId } from '../../flows/engine/format';
import { parseNationalId, parsePhone, parseText } from '../../flows/inputs';
import { recognizeCommand } from '../../flows/matching/commands';

const BACK = 'ย้อนกลับ';
const CANCEL = 'ยกเลิก';

const quick = (labels: string[]) => ({
  items: labels.map((l) => ({ type: 'action', action: { type: 'message', label: l, text: l } })),
});

export interface HandResult {
  state: ConversationState;
  messages: OutMessage[];
}

/** The question left behind, kept for "back", and the move to the next node. */
function answered(state: ConversationState, now: number, slot: string, value: unknown, next: string): ConversationState {
  return {
    ...state,
    slots: { ...state.slots, [slot]: value },
    history: [...state.history, { flow: state.flow!, node: state.node!, stack: [] }],
    node: next,
    retries: 0,
    progress: null,
    lastActiveAt: now,
  };
}

function again(state: ConversationState, now: number, text: string): HandResult {
  return {
    state: { ...state, retries: state.retries + 1, lastActiveAt: now },
    messages: [{ type: 'text', text, quickReply: quick([BACK, CANCEL]) }],
  };
}

export function handWrittenStep(state: ConversationState, text: string, now: number): HandResult {
  if (recognizeCommand(text)) throw new Error('global commands are not part of the baseline');
  switch (state.node) {
    case 'full_name': {
      const r = parseText(text, { min: 2, max: 120 });
      if (!r.ok) return again(state, now, 'กรุณาพิมพ์ชื่อและนามสกุลค่ะ');
      return {
        state: answered(state, now, 'fullName', r.value, 'national_id'),
        messages: [{ type: 'text', text: 'ขอเลขประจำตัวประชาชน 13 หลักค่ะ', quickReply: quick([BACK, CANCEL]) }],
      };
    }
    case 'national_id': {
      const r = parseNationalId(text);
      if (!r.ok) return again(state, now, `ขออภัยค่ะ เลขประจำตัวประชาชนยังไม่ถูกต้อง\nกรุณาพิมพ์เลขประจำตัวประชาชน 13 หลัก (${r.reason})`);
      const s = answered(state, now, 'nationalId', r.value, 'phone');
      const thaiId = /^[1-8]\d{12}$/u.test(r.value) && (s.slots.fullName !== undefined || s.slots.partyName !== undefined);
      return {
        state: s,
        messages: [
          {
            type: 'text',
            text: thaiId
              ? `ขอบคุณค่ะ คุณ${String(s.slots.fullName)} บันทึกเลขประจำตัว ${maskNationalId(r.value)} แล้ว`
              : 'เลขประจำตัวนี้เป็นของผู้ที่ไม่มีสัญชาติไทย เจ้าหน้าที่อาจขอเอกสารเพิ่มค่ะ',
          },
          { type: 'text', text: 'เบอร์โทรศัพท์ที่เจ้าหน้าที่ติดต่อกลับได้คะ', quickReply: quick([BACK, CANCEL]) },
        ],
      };
    }
    case 'phone': {
      const r = parsePhone(text);
      if (!r.ok) return again(state, now, 'ขออภัยค่ะ เบอร์โทรศัพท์ยังไม่ถูกต้อง');
      const s = answered(state, now, 'phone', r.value, 'contact_time');
      const landline = !/^\+66[689]/u.test(r.value);
      const times = ['ช่วงเช้า', 'ช่วงเที่ยง', 'ช่วงบ่าย', 'ช่วงเย็น', 'เวลาใดก็ได้'];
      return {
        state: s,
        messages: [
          ...(landline ? [{ type: 'text', text: 'เบอร์บ้านอาจติดต่อได้เฉพาะเวลาราชการนะคะ' }] : []),
          { type: 'text', text: 'สะดวกให้ติดต่อกลับช่วงไหนคะ', quickReply: quick([...times, BACK, CANCEL]) },
        ],
      };
    }
    default:
      throw new Error(`the baseline does not handle node ${String(state.node)}`);
  }
}
