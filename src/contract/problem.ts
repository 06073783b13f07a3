import { type Static, Type } from "@sinclair/typebox";

/** RFC 9457 problem details, as every error answer gives them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: "Stable machine-readable error code" }),
    detail: Type.String(),
  },
  { additionalProperties: true, $id: "Problem" },
);
export type Problem = Static<typeof ProblemSchema>;

/** An answer without a body (204). */
export const NoContent = Type.Null();

/** Error responses every route may give, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
};
