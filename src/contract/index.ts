/**
 * The API contract: the schema of every request and answer (validation, serialisation and the
 * OpenAPI document read them) and their types, which services return and the client reads.
 */
export * from "./auth.ts";
export * from "./catalogue.ts";
export * from "./downloads.ts";
export * from "./partners.ts";
export * from "./plans.ts";
export * from "./problem.ts";
export * from "./registration.ts";
export * from "./shapes.ts";
export * from "./staff.ts";
export * from "./tuf.ts";
export * from "./tuf-metadata.ts";
