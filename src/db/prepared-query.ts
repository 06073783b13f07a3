import type { Compilable, Kysely } from "kysely";
import type { Database } from "./schema.ts";

/**
 * A query built and compiled once, then run many times with new values. Kysely otherwise
 * rebuilds and recompiles the query tree on every call, which dominated the cost of the look-ups
 * on the busiest path. The builder receives one placeholder per parameter and must use each of
 * them as a value; every call binds its arguments in their places (a placeholder may appear more
 * than once). Values the builder writes itself stay fixed.
 */
export function prepareQuery<Row, Params extends string[]>(
  db: Kysely<Database>,
  parameterCount: Params["length"],
  build: (...placeholders: Params) => Compilable<Row>,
): (...values: Params) => Promise<Row[]> {
  const placeholders = Array.from({ length: parameterCount }, (_, i) => `\u0000parameter-${i}\u0000`);
  const compiled = build(...(placeholders as Params)).compile();
  const slots = compiled.parameters.map((value) => placeholders.indexOf(value as string));
  const unused = placeholders.findIndex((_, i) => !slots.includes(i));
  if (unused >= 0) throw new Error(`prepareQuery: placeholder ${unused} is not used by the query`);
  return async (...values) => {
    const parameters = compiled.parameters.map((fixed, i) => (slots[i]! >= 0 ? values[slots[i]!] : fixed));
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
