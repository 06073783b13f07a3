/** Rules and helpers for text that people read: names shown in lists, counted nouns in messages. */

// Control characters (C0, DEL, C1), lone surrogates, and the marks that reorder or isolate text
// in bidirectional display (LRE..RLO, LRI..PDI, LRM, RLM, ALM): they can make a name look like another.
const UNSAFE_IN_NAMES = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** Whether `text` can be shown as a name without hiding or reordering what surrounds it. */
export function isSafeDisplayName(text: string): boolean {
  return !UNSAFE_IN_NAMES.test(text);
}

const englishPlurals = new Intl.PluralRules("en");

/** "1 registration number", "2 registration numbers"; `plural` for nouns not made with -s. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${englishPlurals.select(count) === "one" ? singular : plural}`;
}
