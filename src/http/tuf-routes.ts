import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { TufMetadataParams } from "../contract/tuf-metadata.ts";
import { notFound } from "../domain/errors.ts";
import type { ApiContext } from "./app.ts";

const TARGETS_PREFIX = "/tuf/targets/";

/**
 * The target path a TUF client asked for. tuf-js builds the URL with `new URL(base + path)`, so the
 * path arrives percent-encoded and a `?` in a file name turns into a query: read the raw URL.
 */
function requestedTargetPaths(request: FastifyRequest): string[] {
  const raw = request.url.slice(TARGETS_PREFIX.length);
  try {
    const decoded = decodeURIComponent(raw);
    return decoded === raw ? [raw] : [decoded, raw];
  } catch {
    return [raw];
  }
}

/**
 * The catalogue as a TUF repository (consistent snapshots off): `GET /tuf/timestamp.json`, `snapshot.json`,
 * `targets.json`, `root.json` and `<N>.root.json`, public like any TUF mirror, the exact stored bytes.
 *
 * `GET /tuf/targets/<target path>` lets a client use `targetBaseUrl = <origin>/tuf/targets`: it answers
 * with a redirect to `/api/v1/distributions/{id}/file` for a target listed in the current targets
 * metadata, so the download keeps that route's sign-in, entitlement checks, ranges and logging.
 */
export const tufRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/tuf/:name",
      {
        schema: {
          tags: ["tuf"],
          summary: "TUF metadata: timestamp.json, snapshot.json, targets.json, root.json or <N>.root.json",
          params: TufMetadataParams,
        },
        config: { access: "public" },
      },
      async (request, reply) => {
        try {
          await services.tuf.ensureFresh();
        } catch (error) {
          // Still serve what is stored: a client rejects it if it really expired.
          request.log.error({ err: error }, "TUF metadata could not be re-signed");
        }
        const body = await services.tuf.metadata(request.params.name);
        if (body === null) {
          throw notFound("tuf_metadata_not_found", `There is no TUF metadata ${request.params.name}.`);
        }
        return reply.header("Cache-Control", "no-cache").type("application/json; charset=utf-8").send(body);
      },
    );

    app.get(
      "/tuf/targets/*",
      {
        schema: {
          tags: ["tuf"],
          summary: "A TUF target: redirects to the distribution download it stands for",
        },
        config: { access: "public" },
      },
      async (request, reply) => {
        for (const path of requestedTargetPaths(request)) {
          const target = await services.tuf.findTarget(path);
          if (target) {
            return reply
              .header("Cache-Control", "no-cache")
              .redirect(
                `/api/v1/distributions/${encodeURIComponent(target.custom.distributionId)}/file`,
                307,
              );
          }
        }
        throw notFound(
          "tuf_target_not_found",
          "The current TUF targets metadata lists no such target; refresh the metadata.",
        );
      },
    );
  };
