/** mirror: copies a server's catalogue, verified files and signed metadata into a directory clients can use offline. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tufTargetPath } from "../../contract/tuf.ts";
import { countOf } from "../../domain/text.ts";
import { isApiError } from "../api.ts";
import { ClientError, EXIT } from "../errors.ts";
import { metadataDir, writeFileAtomically } from "../home.ts";
import type { Output } from "../output.ts";
import { openSession, openVerifiedUpdater } from "../session.ts";
import { type MirrorConfiguration, type MirrorIndex, mirrorPaths, ServerSource } from "../source.ts";
import { checkFolderName } from "../templates.ts";
import { earliestExpiry, fetchMetadata } from "../tuf.ts";
import { fetchVerified } from "./shared.ts";

export async function mirror(
  out: Output,
  options: { server?: string; out: string; configuration?: string[] },
): Promise<number> {
  const session = openSession(options);
  const { source } = session;
  if (!(source instanceof ServerSource))
    throw new ClientError("mirror copies from a server, not from another mirror.");
  const root = resolve(options.out);
  const paths = mirrorPaths(root);
  mkdirSync(join(root, "releases"), { recursive: true });
  const updater = await openVerifiedUpdater(session, (text) => out.info(text));
  const wanted = options.configuration?.length ? new Set(options.configuration) : null;
  const configurations: MirrorConfiguration[] = [];
  let copied = 0;
  let skipped = 0;
  try {
    for (const configuration of await source.configurations()) {
      if (wanted && !wanted.has(configuration.code)) continue;
      // Names of the mirror's files, and later of template folders: plain names only.
      checkFolderName("configuration code", configuration.code, source.origin);
      checkFolderName("vendor", configuration.vendor, source.origin);
      const releases = await source.releases(configuration.code);
      let verdict = {
        allowed: true,
        code: null as string | null,
        detail: null as string | null,
        month: null as string | null,
      };
      for (const release of releases) {
        checkFolderName("release id", release.id, source.origin);
        const full = await source.release(release.id);
        writeFileSync(paths.release(release.id), JSON.stringify(full, null, 2));
        if (!verdict.allowed) continue;
        for (const distribution of release.distributions) {
          const path = tufTargetPath(
            configuration.code,
            release.version,
            distribution.kind,
            distribution.fileName,
          );
          const destination = paths.target(path);
          try {
            await fetchVerified(
              out,
              source,
              updater,
              path,
              distribution,
              destination,
              `${configuration.code} ${release.version} ${distribution.kind}`,
            );
            copied++;
          } catch (error) {
            if (isApiError(error, 403)) {
              verdict = {
                allowed: false,
                code: error.problem.code ?? "forbidden",
                detail: error.problem.detail ?? null,
                month: null,
              };
              out.note(
                `  ${configuration.code}: not downloadable for this account (${verdict.code}); skipped.`,
                "skipped",
                { configuration: configuration.code, code: verdict.code },
              );
              skipped++;
              break;
            }
            throw error;
          }
        }
      }
      mkdirSync(join(root, "configurations", configuration.code), { recursive: true });
      writeFileSync(paths.releases(configuration.code), JSON.stringify(releases, null, 2));
      configurations.push({ ...configuration, download: verdict });
    }
  } finally {
    out.close();
  }
  // The metadata last, the verified copies tuf-js keeps, plus the chain of roots for first-time clients.
  mkdirSync(paths.tuf, { recursive: true });
  const dir = metadataDir(source.server);
  // Every root up to the one tuf-js has just verified.
  const trusted = JSON.parse(readFileSync(join(dir, "root.json"), "utf8")) as { signed: { version: number } };
  for (let version = 1; version <= trusted.signed.version; version++) {
    const bytes = await fetchMetadata(source.server, `${version}.root.json`);
    if (bytes === null) throw new Error(`The server no longer serves root metadata version ${version}.`);
    writeFileSync(join(paths.tuf, `${version}.root.json`), bytes);
  }
  for (const name of ["root.json", "timestamp.json", "snapshot.json", "targets.json"]) {
    writeFileAtomically(join(paths.tuf, name), readFileSync(join(dir, name)));
  }
  const index: MirrorIndex = {
    format: 1,
    createdAt: new Date().toISOString(),
    server: source.server,
    configurations,
  };
  // The index last and whole: a mirror without it is an unfinished one.
  writeFileAtomically(paths.index, JSON.stringify(index, null, 2));
  const expires = earliestExpiry(paths.tuf, ["timestamp.json", "snapshot.json", "targets.json", "root.json"]);
  out.info(
    `The mirror's signed metadata expires at ${expires?.toISOString() ?? "(unknown)"} (the server signs it ` +
      "for about a day); after that clients refuse the mirror until it is refreshed: run " +
      `upkeep-client mirror --out ${root} again.`,
  );
  out.note(
    `Mirror of ${source.server} written to ${root}: ${countOf(configurations.length, "configuration")}, ` +
      `${countOf(copied, "file")}${skipped ? `, ${countOf(skipped, "configuration")} not downloadable` : ""}. ` +
      `Use it with --server file://${root}`,
    "done",
    {
      out: root,
      configurations: configurations.map((c) => c.code),
      files: copied,
      expiresAt: expires?.toISOString() ?? null,
    },
  );
  return EXIT.ok;
}
