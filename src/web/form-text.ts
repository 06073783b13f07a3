import type { FastifyRequest } from "fastify";
import { RELEASE_DOCUMENTS } from "../domain/catalogue.ts";
import { badRequest } from "../domain/errors.ts";
import { controlCharacterProblem, type TextKind } from "../domain/text.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * A page whose form reports control characters beside the field itself: only its address and
     * query are checked here, its fields are left to the form.
     */
    formChecksText?: true;
  }
}

/** The text areas of the portal's forms: release documents, addresses, lists of numbers. */
const MULTI_LINE_FIELDS = new Set<string>([
  ...RELEASE_DOCUMENTS,
  "address",
  "registrationNumbers",
  "additionalNumbers",
]);

const ONE_LINE = (): TextKind => "line";
const FORM_FIELD = (name: string): TextKind => (MULTI_LINE_FIELDS.has(name) ? "free" : "line");

function firstOffence(values: unknown, kindOf: (name: string) => TextKind): string | null {
  if (typeof values !== "object" || values === null) return null;
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    for (const text of texts) {
      if (typeof text !== "string") continue;
      if (controlCharacterProblem(name, "line") || controlCharacterProblem(text, kindOf(name))) return name;
    }
  }
  return null;
}

/**
 * Refuses control characters in a page's address, query and form fields, as the API does for its
 * own, before any use case sees them (PostgreSQL cannot even compare a text holding NUL). Only
 * text areas may break lines; everything else is one line.
 */
export function checkPageText(request: FastifyRequest): void {
  const offence =
    firstOffence(request.params, ONE_LINE) ??
    firstOffence(request.query, ONE_LINE) ??
    (request.routeOptions.config.formChecksText ? null : firstOffence(request.body, FORM_FIELD));
  if (offence !== null) {
    throw badRequest("invalid_characters", `The field ${offence} must not contain control characters.`);
  }
}
