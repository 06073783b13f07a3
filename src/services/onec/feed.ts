/**
 * The legacy 1C feed of each configuration, as 1C programs and older tools poll it:
 *
 *     /1c/<CODE>/<edition digits>/<platform line>/UpdInfo.txt    the newest update, BOM, CRLF
 *     /1c/<CODE>/<edition digits>/<platform line>/v8upd11.zip    the update list (v8cscdsc.xml)
 *     /1c/<CODE>/<edition digits>/<platform line>/v8cscdsc.lst   the same list for older tools
 *     /1c/<CODE>/<x_y_z_w>/1cv8.zip                              each package (HTTP Basic)
 *
 * The edition is the version's first two numbers written together (3.0.23.148 -> `30`, 11.4.x ->
 * `114`), the platform line the minimum platform's (8.3.5.1119 -> `83`); a feed lists the published
 * releases of its edition that have their update file and run on its platform line. Package paths
 * in the lists are relative to the service's root (`1c/HRM/3_0_19_70/1cv8.zip`).
 *
 * The files are written by src/formats/onec once per catalogue revision: they are kept with the
 * release list the update planner caches (src/services/updates.ts), which is replaced when the
 * configuration's published catalogue changes on any node.
 */
import type { Configuration, Release } from "../../contract/catalogue.ts";
import { UPDATE_DISTRIBUTION } from "../../domain/catalogue.ts";
import { notFound } from "../../domain/errors.ts";
import { compareVersions, parseVersion } from "../../domain/version.ts";
import { feedPath, PACKAGE_FILE, readVersionFolderName } from "../../formats/onec/layout.ts";
import { MANIFEST_FILE } from "../../formats/onec/manifest.ts";
import { writePackageList } from "../../formats/onec/package-list.ts";
import { writeUpdInfo } from "../../formats/onec/upd-info.ts";
import { type UpdateListEntry, updateListDate } from "../../formats/onec/update-list.ts";
import { writeUpdateListZip } from "../../formats/onec/update-list-zip.ts";
import { UPDATE_FILE } from "../../formats/onec/update-package.ts";
import type { CatalogueService } from "../catalogue/index.ts";
import type { UpdatesService } from "../updates.ts";

/** The folder below the service's root that holds every configuration's feed and packages. */
export const FEED_ROOT = "1c";

export const FEED_FILES = ["UpdInfo.txt", "v8upd11.zip", "v8cscdsc.lst"] as const;
export type FeedFileName = (typeof FEED_FILES)[number];

export interface FeedFile {
  readonly bytes: Buffer;
  readonly contentType: string;
  /** A strong validator: the same bytes for the same revision. */
  readonly etag: string;
}

const CONTENT_TYPES: Record<FeedFileName, string> = {
  "UpdInfo.txt": "text/plain; charset=utf-8",
  "v8upd11.zip": "application/zip",
  "v8cscdsc.lst": "text/plain; charset=utf-8",
};

/** `3.0.23.148` -> `30`. */
export const editionDigits = (version: string) => parseVersion(version).slice(0, 2).join("");

/** Whether a release of this minimum platform runs on the platform line (`83`: 8.3). */
function runsOnLine(minPlatformVersion: string | null, line: string): boolean {
  if (minPlatformVersion === null) return true;
  const [major, minor] = parseVersion(minPlatformVersion);
  const lineMajor = Number(line.slice(0, 1));
  const lineMinor = Number(line.slice(1));
  return major! < lineMajor || (major === lineMajor && minor! <= lineMinor);
}

/** What a package path names: the package itself (member null), or one file inside it. */
export interface PackageTarget {
  readonly distributionId: string;
  readonly member: string | null;
}

/** The package, and the files of it the package list (`v8cscdsc.lst`) points older tools to. */
const PACKAGE_MEMBERS = new Map<string, string | null>([
  [PACKAGE_FILE, null],
  [UPDATE_FILE, UPDATE_FILE],
  [MANIFEST_FILE.toLowerCase(), MANIFEST_FILE],
]);

interface RevisionEntry {
  readonly configuration: Configuration;
  readonly files: Map<string, FeedFile | null>;
  /** version -> the release's update distribution id. */
  readonly packages: Map<string, string>;
}

export interface FeedDeps {
  readonly catalogue: Pick<CatalogueService, "requireConfiguration">;
  readonly updates: Pick<UpdatesService, "publishedReleases" | "keptPublishedReleases">;
  /** UPKEEP_PUBLIC_URL: the list of packages names where it is published. */
  readonly publicUrl: string;
}

const feedNotFound = (what: string) =>
  notFound("feed_not_found", `There is no 1C feed at ${what}.`, { path: what });

export type FeedService = ReturnType<typeof createFeedService>;

export function createFeedService(deps: FeedDeps) {
  const { catalogue, updates, publicUrl } = deps;
  // Keyed by the release list of one revision: a new revision is a new list, and the old entry goes with it.
  const byRevision = new WeakMap<readonly Release[], Promise<RevisionEntry>>();

  async function revision(code: string): Promise<{ releases: readonly Release[]; entry: RevisionEntry }> {
    // As the plan route does: the kept list answers at once while a due revision check runs behind it.
    const releases = updates.keptPublishedReleases(code) ?? (await updates.publishedReleases(code));
    let entry = byRevision.get(releases);
    if (!entry) {
      entry = catalogue.requireConfiguration(code).then((configuration) => ({
        configuration,
        files: new Map(),
        packages: new Map(
          releases.flatMap((release) => {
            const update = release.distributions.find((d) => d.kind === UPDATE_DISTRIBUTION);
            return update ? [[release.version, update.id] as const] : [];
          }),
        ),
      }));
      entry.catch(() => byRevision.delete(releases));
      byRevision.set(releases, entry);
    }
    return { releases, entry: await entry };
  }

  function isFeedConfiguration(configuration: Configuration): boolean {
    return configuration.packageFormat === "1c" && configuration.kind !== "platform";
  }

  function build(
    configuration: Configuration,
    releases: readonly Release[],
    edition: string,
    line: string,
    name: FeedFileName,
  ): FeedFile | null {
    const listed = releases
      .filter(
        (release) =>
          editionDigits(release.version) === edition &&
          runsOnLine(release.minPlatformVersion, line) &&
          release.distributions.some((d) => d.kind === UPDATE_DISTRIBUTION),
      )
      .sort((a, b) => compareVersions(a.version, b.version));
    const newest = listed.at(-1);
    if (!newest) return null;
    const programName = configuration.programName ?? configuration.name;
    const destination = { vendorFolder: FEED_ROOT, code: configuration.code };
    const newestPublication = listed
      .map((release) => release.publishedAt ?? `${release.releasedOn}T00:00:00.000Z`)
      .sort()
      .at(-1)!;
    const listDate = new Date(newestPublication);
    let bytes: Buffer;
    if (name === "UpdInfo.txt") {
      bytes = writeUpdInfo(
        { version: newest.version, fromVersions: newest.updateFrom, updateDate: newest.releasedOn },
        { bom: true },
      );
    } else if (name === "v8upd11.zip") {
      const updates: UpdateListEntry[] = listed.map((release) => ({
        configuration: programName,
        vendor: configuration.vendor,
        file: feedPath(destination, release.version),
        size: release.distributions.find((d) => d.kind === UPDATE_DISTRIBUTION)!.size,
        version: release.version,
        minPlatformVersion: release.minPlatformVersion,
        updateFrom: release.updateFrom,
      }));
      bytes = writeUpdateListZip({ date: updateListDate(listDate), updates }, listDate);
    } else {
      bytes = writePackageList({
        date: updateListDate(listDate),
        url: `${publicUrl}/`,
        entries: listed.map((release) => ({
          configuration: programName,
          vendor: configuration.vendor,
          version: release.version,
          updateFrom: release.updateFrom,
          updateFile: feedPath(destination, release.version, UPDATE_FILE),
          manifestFile: feedPath(destination, release.version, MANIFEST_FILE),
        })),
      });
    }
    const etag = `"${configuration.code}-${edition}-${line}-${name}-${bytes.length}-${newestPublication}-${listed.length}"`;
    return { bytes, contentType: CONTENT_TYPES[name], etag };
  }

  return {
    /** A feed file of `/1c/<code>/<edition>/<line>/<name>`; 404 for any other path or an empty feed. */
    async feedFile(code: string, edition: string, line: string, name: string): Promise<FeedFile> {
      const where = `${FEED_ROOT}/${code}/${edition}/${line}/${name}`;
      if (
        !(FEED_FILES as readonly string[]).includes(name) ||
        !/^\d{2,6}$/.test(edition) ||
        !/^\d{2}$/.test(line)
      ) {
        throw feedNotFound(where);
      }
      const { releases, entry } = await revision(code);
      if (!isFeedConfiguration(entry.configuration)) throw feedNotFound(where);
      const key = `${edition}/${line}/${name}`;
      let file = entry.files.get(key);
      if (file === undefined) {
        file = build(entry.configuration, releases, edition, line, name as FeedFileName);
        entry.files.set(key, file);
      }
      if (file === null) throw feedNotFound(where);
      return file;
    },

    /**
     * The distribution id of the package at `/1c/<code>/<x_y_z_w>/1cv8.zip` (a published release's
     * update file); the caller checks who may download it.
     */
    async packageDistribution(code: string, folder: string, fileName: string): Promise<PackageTarget> {
      const where = `${FEED_ROOT}/${code}/${folder}/${fileName}`;
      const version = readVersionFolderName(folder);
      const member = PACKAGE_MEMBERS.get(fileName.toLowerCase());
      if (version === null || member === undefined) throw feedNotFound(where);
      const { entry } = await revision(code);
      const id = isFeedConfiguration(entry.configuration) ? entry.packages.get(version) : undefined;
      if (id === undefined) throw feedNotFound(where);
      return { distributionId: id, member };
    },
  };
}
