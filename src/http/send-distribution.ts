/**
 * Sends a distribution's bytes the one way every download route does (the API's, the 1C feed's
 * and the update service's): a redirect where the store offers direct URLs, else the stored bytes
 * with Content-Length, ETag and one byte range (If-Range honoured), each logged.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { DistributionWithRelease } from "../db/repositories/catalogue.ts";
import { rangeNotSatisfiable } from "../domain/errors.ts";
import type { User } from "../services/accounts.ts";
import type { DownloadsService } from "../services/downloads.ts";
import { decideRange, ifRangeAllows } from "./ranges.ts";

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function sendDistribution(
  request: FastifyRequest,
  reply: FastifyReply,
  downloads: DownloadsService,
  user: User,
  distribution: DistributionWithRelease,
): Promise<FastifyReply> {
  // HEAD asks about the file without fetching it: answered like GET, but not a download to log.
  const log = (entry: { range: string | null; status: number; bytes: number }) =>
    request.method === "HEAD" ? Promise.resolve() : downloads.log({ user, distribution, ...entry });

  const direct = await downloads.directUrl(distribution);
  if (direct) {
    await log({ range: null, status: 302, bytes: 0 });
    return reply.redirect(direct, 302);
  }

  const etag = `"${distribution.sha256}"`;
  const size = distribution.size;
  reply
    .header("Accept-Ranges", "bytes")
    .header("ETag", etag)
    .header("X-Checksum-Sha256", distribution.sha256)
    .header("Content-Disposition", contentDisposition(distribution.fileName))
    .header("Cache-Control", "private, no-transform")
    .type("application/octet-stream");

  const rangeHeader = ifRangeAllows(request.headers["if-range"] as string | undefined, etag)
    ? request.headers.range
    : undefined;
  const decision = decideRange(rangeHeader, size);
  if (decision.kind === "unsatisfiable") {
    reply.header("Content-Range", `bytes */${size}`);
    await log({ range: rangeHeader ?? null, status: 416, bytes: 0 });
    throw rangeNotSatisfiable(
      "range_not_satisfiable",
      `The file has ${size} bytes; the range ${rangeHeader} lies outside it.`,
    );
  }
  if (decision.kind === "partial") {
    const { start, end } = decision.range;
    reply
      .status(206)
      .header("Content-Range", `bytes ${start}-${end}/${size}`)
      .header("Content-Length", end - start + 1);
    await log({ range: `${start}-${end}`, status: 206, bytes: end - start + 1 });
    return reply.send(downloads.open(distribution, decision.range));
  }
  reply.header("Content-Length", size);
  await log({ range: null, status: 200, bytes: size });
  return reply.send(downloads.open(distribution));
}
