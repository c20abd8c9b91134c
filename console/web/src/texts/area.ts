/**
 * One area's words in both languages. The type makes English carry exactly Thai's keys, so a missing translation
 * is a type error, as in i18n.ts.
 */
export function area<K extends string>(d: { th: Record<K, string>; en: NoInfer<Record<K, string>> }): { th: Record<K, string>; en: Record<K, string> } {
  return d;
}
