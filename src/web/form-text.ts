import type { FastifyRequest } from "fastify";
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

function firstOffence(values: unknown, kind: TextKind): string | null {
  if (typeof values !== "object" || values === null) return null;
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    for (const text of texts) {
      if (typeof text !== "string") continue;
      if (controlCharacterProblem(name, "line") || controlCharacterProblem(text, kind)) return name;
    }
  }
  return null;
}

/**
 * Refuses control characters in a page's address, query and form fields, as the API does for its
 * own, before any use case sees them (PostgreSQL cannot even compare a text holding NUL). Form
 * fields may break lines, since text areas do; everything else is one line.
 */
export function checkPageText(request: FastifyRequest): void {
  const offence =
    firstOffence(request.params, "line") ??
    firstOffence(request.query, "line") ??
    (request.routeOptions.config.formChecksText ? null : firstOffence(request.body, "free"));
  if (offence !== null) {
    throw badRequest("invalid_characters", `The field ${offence} must not contain control characters.`);
  }
}
