/**
 * Which characters a stored text may hold. PostgreSQL refuses NUL in text, and control characters
 * have no business in identifiers, codes, logins or names; free text (documents, addresses) may
 * still break lines and hold tabs.
 */

// Unicode's Cc: the C0 controls, DEL and the C1 controls.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LAYOUT = /(?![\t\n\r])\p{Cc}/u;

export type TextKind = "line" | "free";

/** Why the text cannot be stored, or null when it can. */
export function controlCharacterProblem(text: string, kind: TextKind): string | null {
  if (kind === "line") return CONTROL.test(text) ? "must not contain control characters" : null;
  return CONTROL_BUT_LAYOUT.test(text)
    ? "must not contain control characters other than tab and line breaks"
    : null;
}

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
