import type { FastifyRequest } from "fastify";

/** A urlencoded form as @fastify/formbody parses it: a repeated name gives an array. */
type FormBody = Record<string, string | string[] | undefined>;

/** One text field of the posted form: its first value, or "" when absent. */
export function formField(request: FastifyRequest, name: string): string {
  const body = (request.body ?? {}) as FormBody;
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Every value of a repeated field (checkboxes, several numbers). */
export function formFieldAll(request: FastifyRequest, name: string): string[] {
  const value = ((request.body ?? {}) as FormBody)[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
