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
