import type { Readable } from "node:stream";
import { Type } from "@sinclair/typebox";

/** A file's bytes, for the OpenAPI document: the route streams them and never serialises. */
export const fileBytes = (description: string) =>
  Type.Unsafe<Readable>({
    description,
    content: { "application/octet-stream": { schema: Type.String({ format: "binary" }) } },
  });

/** GET /api/v1/distributions/:id/file */
export const DistributionFileResponses = {
  200: fileBytes("The whole file"),
  206: fileBytes("The requested range of the file (Content-Range tells which)"),
  302: Type.Null({ description: "The file is downloaded from a direct URL (Location)" }),
};
