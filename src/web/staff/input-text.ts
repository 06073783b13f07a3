import type { FastifyRequest } from "fastify";
import { RELEASE_DOCUMENTS } from "../../domain/catalogue.ts";
import { badRequest } from "../../domain/errors.ts";
import { controlCharacterProblem } from "../../domain/text.ts";

/** Form fields that may span lines: release documents and an organisation's address. */
const FREE_TEXT_FIELDS = new Set<string>([...RELEASE_DOCUMENTS, "address"]);

function check(where: string, values: unknown, free: (name: string) => boolean): void {
  if (!values || typeof values !== "object") return;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== "string") continue;
      const problem = controlCharacterProblem(text, free(name) ? "free" : "line");
      if (problem) {
        throw badRequest("invalid_characters", `${where}/${name} ${problem}.`, {
          errors: [{ path: `${where}/${name}`, message: problem }],
        });
      }
    }
  }
}

/**
 * The staff pages' counterpart of the API's control-character check (the database refuses NUL
 * in text): addresses, filters and form fields are one line each, but documents and addresses.
 */
export async function refuseControlCharacters(request: FastifyRequest): Promise<void> {
  check("params", request.params, () => false);
  check("query", request.query, () => false);
  check("body", request.body, (name) => FREE_TEXT_FIELDS.has(name));
}
