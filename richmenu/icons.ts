/**
 * One simple line icon per button, drawn on a 48-unit grid with round strokes. They are hand-drawn here (no icon
 * font, no download) so the picture renders offline and the same on every machine.
 */
export type IconName = 'megaphone' | 'search' | 'folder' | 'question' | 'headset' | 'idcard';

const PATHS: Record<IconName, string> = {
  // A loud-hailer: "make your voice heard".
  megaphone: `
    <path d="M6 19h8l18-9v28l-18-9H6z"/>
    <path d="M14 29l3 10h6l-3-10"/>
    <path d="M38 18c2.5 3.5 2.5 8.5 0 12"/>
    <path d="M42.5 13.5c4.5 6 4.5 15 0 21"/>`,
  // A document under a magnifying glass: where does my case stand?
  search: `
    <path d="M26 42H9V6h17l9 9v6"/>
    <path d="M26 6v9h9"/>
    <path d="M15 16h6M15 23h8"/>
    <circle cx="33" cy="32" r="7.5"/>
    <path d="M38.5 37.5l5.5 5.5"/>`,
  // A folder with lines of text: the cases I filed.
  folder: `
    <path d="M4 13a3 3 0 0 1 3-3h11l4 5h19a3 3 0 0 1 3 3v20a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3z"/>
    <path d="M13 25h22M13 32h14"/>`,
  // A speech bubble with a question mark.
  question: `
    <path d="M9 7h30a5 5 0 0 1 5 5v19a5 5 0 0 1-5 5H21l-9 8v-8H9a5 5 0 0 1-5-5V12a5 5 0 0 1 5-5z"/>
    <path d="M19 17.5a5 5 0 1 1 7.2 4.5c-1.4.7-2.2 1.8-2.2 3.3V26"/>
    <path d="M24 31.2v.1"/>`,
  // A person wearing a headset: a real officer answers.
  headset: `
    <circle cx="24" cy="19" r="7"/>
    <path d="M10 43c1.5-7.5 7-11 14-11s12.5 3.5 14 11"/>
    <path d="M12 20a12 12 0 0 1 24 0"/>
    <path d="M11 18h3v7h-3zM34 18h3v7h-3z"/>
    <path d="M36 25c0 3.5-3 5.5-7 5.5"/>`,
  // An ID card: the personal data held about me.
  idcard: `
    <rect x="4" y="9" width="40" height="30" rx="4"/>
    <circle cx="16" cy="21" r="4.5"/>
    <path d="M8.5 33c1-4 4-6 7.5-6s6.5 2 7.5 6"/>
    <path d="M28 19h10M28 25.5h10M28 32h6"/>`,
};

/** Inline SVG; stroke and size come from the surrounding CSS (`color`, `width`). */
export function iconSvg(name: IconName): string {
  return `<svg viewBox="0 0 48 48" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${PATHS[name]}</svg>`;
}
