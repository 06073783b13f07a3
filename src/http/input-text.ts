import type { FastifyRequest, FastifySchema, preValidationHookHandler } from "fastify";
import { FREE_TEXT } from "../contract/shapes.ts";
import { badRequest } from "../domain/errors.ts";
import { controlCharacterProblem, type TextKind } from "../domain/text.ts";

/** What kind of text each string of a JSON value may be, read from its schema. */
interface Shape {
  readonly kind: TextKind;
  readonly properties?: ReadonlyMap<string, Shape>;
  readonly items?: Shape;
}

/** Whatever a schema does not describe (and every path parameter and query value) is a line of text. */
const LINE: Shape = { kind: "line" };

type JsonSchema = Record<string, unknown> | undefined;

function shapeOf(schema: JsonSchema): Shape {
  if (!schema || typeof schema !== "object") return LINE;
  if (schema[FREE_TEXT] === true) return { kind: "free" };
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) {
    const shapes = branches.map(shapeOf);
    return {
      kind: shapes.some((s) => s.kind === "free") ? "free" : "line",
      properties: shapes.find((s) => s.properties)?.properties,
      items: shapes.find((s) => s.items)?.items,
    };
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  return {
    kind: "line",
    properties: properties
      ? new Map(Object.entries(properties).map(([name, property]) => [name, shapeOf(property)]))
      : undefined,
    items: schema.items ? shapeOf(schema.items as JsonSchema) : undefined,
  };
}

interface Offence {
  /** From the offending string outwards. */
  readonly path: string[];
  readonly message: string;
}

/** A body parsed from JSON or text, not a stream that a route's own parser hands on (uploads). */
function isParsed(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return true;
  return Object.getPrototypeOf(body) === Object.prototype;
}

/** The first string in the value its shape does not allow. Allocates nothing unless it finds one. */
function findOffence(value: unknown, shape: Shape): Offence | null {
  if (typeof value === "string") {
    const message = controlCharacterProblem(value, shape.kind);
    return message ? { path: [], message } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    const items = shape.items ?? LINE;
    for (let index = 0; index < value.length; index++) {
      const offence = findOffence(value[index], items);
      if (offence) {
        offence.path.push(String(index));
        return offence;
      }
    }
    return null;
  }
  for (const key in value) {
    const keyMessage = controlCharacterProblem(key, "line");
    const offence = keyMessage
      ? { path: [], message: `names a field with ${keyMessage.replace(/^must not contain /, "")}` }
      : findOffence((value as Record<string, unknown>)[key], shape.properties?.get(key) ?? LINE);
    if (offence) {
      offence.path.push(key);
      return offence;
    }
  }
  return null;
}

function located(part: string, offence: Offence | null): { path: string; message: string } | null {
  if (!offence) return null;
  return { path: [part, ...offence.path.reverse()].join("/"), message: offence.message };
}

/**
 * The check every API route runs before validation: NUL is refused in every string, other control
 * characters in every string but the schema's free text (`FreeText`), which may hold tabs and line
 * breaks; path parameters and query values are always a line. The database never sees them.
 */
export function controlCharacterCheck(schema: FastifySchema | undefined): preValidationHookHandler {
  const body = shapeOf(schema?.body as JsonSchema);
  return (request: FastifyRequest, _reply, done) => {
    const problem =
      located("params", findOffence(request.params, LINE)) ??
      located("querystring", findOffence(request.query, LINE)) ??
      located("body", isParsed(request.body) ? findOffence(request.body, body) : null);
    done(problem ? invalidCharacters(problem) : undefined);
  };
}

function invalidCharacters(problem: { path: string; message: string }) {
  return badRequest("invalid_characters", `${problem.path} ${problem.message}`, { errors: [problem] });
}

/** For input the check above cannot see, such as a header a route decodes itself. */
export function assertLineOfText(path: string, text: string): void {
  const message = controlCharacterProblem(text, "line");
  if (message) throw invalidCharacters({ path, message });
}
