/** Reading the service's own OpenAPI document in tests. */

export type Schema = Record<string, unknown>;

export interface Operation {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly pathParams: string[];
  /** A harmless value for each path parameter: the first of its enum, else BASELINE. */
  readonly pathExamples: Record<string, string>;
  readonly headerParams: string[];
  readonly body: Schema | null;
}

export function operationsOf(document: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []) as { in: string; name: string; schema?: Schema }[];
      const content = (operation.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      operations.push({
        method: method.toUpperCase() as Operation["method"],
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        pathExamples: Object.fromEntries(
          parameters.filter((p) => p.in === "path").map((p) => [p.name, String(exampleOf(p.schema ?? {}))]),
        ),
        headerParams: parameters.filter((p) => p.in === "header").map((p) => p.name),
        body: content?.["application/json"]?.schema ?? null,
      });
    }
  }
  return operations;
}

/** Strings in examples: harmless to every route. */
export const BASELINE = "probe-x";

/** A body of the schema's shape: every property present, strings `probe-x`, the first enum value. */
export function exampleOf(schema: Schema): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) return exampleOf(branches.find((b) => b.type !== "null" && !b.nullable) ?? branches[0]!);
  switch (schema.type) {
    case "object":
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, property]) => [
          name,
          exampleOf(property),
        ]),
      );
    case "array":
      return [exampleOf((schema.items ?? {}) as Schema)];
    case "integer":
    case "number":
      return (schema.minimum as number | undefined) ?? 1;
    case "boolean":
      return true;
    default:
      return BASELINE;
  }
}
