/**
 * The legacy 1C feed (src/services/onec/feed.ts): the per-configuration files, public, and the
 * packages at the paths the update list names, behind HTTP Basic with the API download's rules.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { DistributionWithRelease } from "../../db/repositories/catalogue.ts";
import { notFound } from "../../domain/errors.ts";
import type { User } from "../../services/accounts.ts";
import type { Services } from "../../services/index.ts";
import { PATCH_FILES_PATH } from "../../services/onec/patches.ts";
import { PLATFORM_FILES_PATH } from "../../services/onec/update-service.ts";
import { enforceAccess, requireUser } from "../auth.ts";
import { sendDistribution } from "../send-distribution.ts";
import { registerBasicAuthentication } from "./basic-auth.ts";

type Params<K extends string> = { Params: Record<K, string> };

/** A file inside a package, unpacked: whole, as its size is known but its bytes are not stored apart. */
async function sendPackageMember(
  reply: FastifyReply,
  services: Services,
  request: FastifyRequest,
  user: User,
  distribution: DistributionWithRelease,
  member: string,
) {
  const entry = await services.downloads.openPackageEntry(distribution, member);
  if (!entry) throw notFound("feed_not_found", `The package holds no ${member}.`);
  if (request.method !== "HEAD") {
    await services.downloads.log({ user, distribution, range: member, status: 200, bytes: entry.size });
  }
  return reply
    .header("content-length", entry.size)
    .header("cache-control", "private, no-transform")
    .type("application/octet-stream")
    .send(entry.body);
}

export function onecFeedRoutes(services: Services) {
  return async (scope: FastifyInstance) => {
    scope.addHook("onRoute", enforceAccess);
    registerBasicAuthentication(scope, services.accounts);

    scope.get<Params<"code" | "edition" | "line" | "file">>(
      "/1c/:code/:edition/:line/:file",
      { schema: { hide: true }, config: { access: "public" } },
      async (request, reply) => {
        const { code, edition, line, file } = request.params;
        const feed = await services.onecFeed.feedFile(code, edition, line, file);
        reply.header("etag", feed.etag).header("cache-control", "no-cache");
        if (request.headers["if-none-match"] === feed.etag) return reply.status(304).send();
        return reply.header("content-length", feed.bytes.length).type(feed.contentType).send(feed.bytes);
      },
    );

    scope.get<Params<"code" | "folder" | "file">>(
      "/1c/:code/:folder/:file",
      { schema: { hide: true }, config: { access: "signed-in" } },
      async (request, reply) => {
        const user = requireUser(request);
        const { code, folder, file } = request.params;
        const target = await services.onecFeed.packageDistribution(code, folder, file);
        const distribution = await services.catalogue.distributionForViewer(target.distributionId, user);
        if (target.member)
          return sendPackageMember(reply, services, request, user, distribution, target.member);
        return sendDistribution(request, reply, services.downloads, user, distribution);
      },
    );

    // The platform installer the update service names in platformDistributionUrl.
    scope.get<Params<"id" | "fileName">>(
      `${PLATFORM_FILES_PATH}/:id/:fileName`,
      { schema: { hide: true }, config: { access: "signed-in" } },
      async (request, reply) => {
        const user = requireUser(request);
        const { id } = request.params;
        if (!/^[0-9a-f-]{36}$/i.test(id))
          throw notFound("distribution_not_found", `There is no distribution ${id}.`);
        const distribution = await services.catalogue.distributionForViewer(id, user);
        return sendDistribution(request, reply, services.downloads, user, distribution);
      },
    );

    // A patch's file (patches/getFiles), under its configuration's download rules.
    scope.get<Params<"ueid" | "fileName">>(
      `${PATCH_FILES_PATH}/:ueid/:fileName`,
      { schema: { hide: true }, config: { access: "signed-in" } },
      async (request, reply) => {
        const user = requireUser(request);
        const patch = await services.onecPatches.patchForDownload(request.params.ueid, user);
        // Sent and logged as distributions are; the log names the patch by its id.
        const file: DistributionWithRelease = {
          id: patch.ueid,
          kind: "patch",
          fileName: patch.fileName,
          size: patch.size,
          sha256: patch.sha256,
          releaseId: "",
          storageKey: patch.storageKey,
          configuration: patch.configuration,
          releaseStatus: "published",
        };
        return sendDistribution(request, reply, services.downloads, user, file);
      },
    );
  };
}

/**
 * Some tools ask for `Configs//HRM/30/83//UpdInfo.txt`: below /1c/ doubled slashes are one, so the
 * same bytes are served (Fastify's rewriteUrl; other paths are left as they are).
 */
export function collapseFeedSlashes(url: string): string {
  if (!/^\/+1c\//.test(url)) return url;
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  return path.replace(/\/{2,}/g, "/") + (query < 0 ? "" : url.slice(query));
}
