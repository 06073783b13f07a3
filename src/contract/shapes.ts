import { type StringOptions, type TSchema, Type } from "@sinclair/typebox";

/** A schema or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Marks a string schema as free text: see `FreeText`. */
export const FREE_TEXT = "x-free-text";

/**
 * Text that may span lines and hold tabs (documents, addresses). Every other string is one line,
 * with no control characters at all (see src/http/input-text.ts).
 */
export const FreeText = (options: StringOptions = {}) => Type.String({ ...options, [FREE_TEXT]: true });

/**
 * A string the server only ever sends from a closed list: typed as that list, documented and
 * validated as any string (values stored before a list was closed keep their spelling).
 */
export const StringOf = <T extends string>(options: StringOptions = {}) =>
  Type.Unsafe<T>(Type.String(options));
