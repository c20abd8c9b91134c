export type { ParseResult } from './result';
export { normalize, normalizeChars, stripParticles, thaiDigitsToAscii } from './normalize';
export { parseNationalId, nationalIdCheckDigit, type NationalIdReason } from './national-id';
export { parsePhone, type PhoneReason } from './phone';
export { parseDate, type CalendarDay, type DateOptions, type DateReason } from './date';
export { parseYesNo, type YesNoReason } from './yes-no';
export { parseEmail, type EmailReason } from './email';
export { parseNumber, type NumberOptions, type NumberReason } from './number';
export { parseText, type TextOptions, type TextReason } from './text';
