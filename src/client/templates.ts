/**
 * The update templates directory: `<tmplts>/<vendor>/<CODE>/<x_y_z_w>/` holding unpacked packages
 * (the layout 1C programs use). Reading it offline, planning over it with the server's planner, and
 * installing a verified package into it atomically (or, for a `file` configuration, one file).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { copyFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isCode, validateFileName } from "../domain/catalogue.ts";
import { AppError } from "../domain/errors.ts";
import { planUpdate, ReleaseGraph, type UpdatePlan } from "../domain/update-planner.ts";
import { compareVersions, isVersion, normalizeVersion, versionToUnderscore } from "../domain/version.ts";
import { FormatError } from "../formats/format-error.ts";
import { readVersionFolderName } from "../formats/onec/layout.ts";
import { readUpdInfo as readUpdInfoBytes, type UpdInfo } from "../formats/onec/upd-info.ts";
import { ClientError, verificationFailed } from "./errors.ts";
import { packageDestination, unpackZip } from "./unzip.ts";

export interface TemplateFolder {
  readonly vendor: string;
  /** The configuration's folder name, as spelt on disk. */
  readonly code: string;
  readonly path: string;
  /** From the folder name (x_y_z_w). */
  readonly folderVersion: string;
  readonly info: UpdInfo | null;
  /** The release's minimum platform, as `download` recorded it in upkeep.json (null: not recorded). */
  readonly minPlatformVersion: string | null;
  /** Why the folder cannot be used, when it cannot. */
  readonly problem: string | null;
}

export interface TemplateRelease {
  readonly version: string;
  readonly updateFrom: readonly string[];
  readonly minPlatformVersion: string | null;
  readonly folder: TemplateFolder;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readUpdInfo(folder: string): UpdInfo {
  return readUpdInfoBytes(readFileSync(join(folder, "UpdInfo.txt")));
}

/** What `download` records beside UpdInfo.txt about the release it installed (1C's packages do not say). */
interface InstallRecord {
  readonly minPlatformVersion: string | null;
}

export const INSTALL_RECORD = "upkeep.json";

/** The folder's upkeep.json; a folder installed by other means has none, and no known minimum platform. */
function readInstallRecord(folder: string): InstallRecord {
  const path = join(folder, INSTALL_RECORD);
  if (!existsSync(path)) return { minPlatformVersion: null };
  try {
    const { minPlatformVersion = null } = JSON.parse(readFileSync(path, "utf8")) as Partial<InstallRecord>;
    if (minPlatformVersion === null || isVersion(minPlatformVersion)) return { minPlatformVersion };
  } catch {
    // refused below
  }
  throw new ClientError(`${INSTALL_RECORD} is unreadable or names no platform version`);
}

/**
 * The `<vendor>/<code>` folders of the templates directory holding a configuration's templates (every
 * configuration's when `code` is left out). The code is matched whatever its letter case: 1C itself
 * installs into `tmplts\1c\hrm\...` on Windows, where the case does not matter, and such folders
 * are copied to systems where it does.
 */
export function configurationFolders(
  root: string,
  code?: string,
): { vendor: string; code: string; path: string }[] {
  const found: { vendor: string; code: string; path: string }[] = [];
  for (const vendor of readdirSync(root).sort()) {
    const vendorDir = join(root, vendor);
    if (vendor.startsWith(".") || !isDirectory(vendorDir)) continue;
    for (const name of readdirSync(vendorDir).sort()) {
      const path = join(vendorDir, name);
      const wanted = code === undefined ? !name.startsWith(".") : name.toLowerCase() === code.toLowerCase();
      if (wanted && isDirectory(path)) found.push({ vendor, code: name, path });
    }
  }
  return found;
}

/**
 * Every `<vendor>/<code>/<x_y_z_w>` folder of the templates directory (of one configuration, or of
 * all), oldest first, whoever installed it: this client (with its upkeep.json) or the 1C program.
 */
export function scanTemplates(root: string, code?: string): TemplateFolder[] {
  if (!isDirectory(root)) throw new ClientError(`The templates directory ${root} does not exist.`);
  const folders: TemplateFolder[] = [];
  for (const { vendor, code: codeFolder, path: configurationDir } of configurationFolders(root, code)) {
    for (const name of readdirSync(configurationDir).sort()) {
      const path = join(configurationDir, name);
      const folderVersion = readVersionFolderName(name);
      if (folderVersion === null || !isDirectory(path)) continue;
      let info: UpdInfo | null = null;
      let minPlatformVersion: string | null = null;
      let problem: string | null = null;
      if (!existsSync(join(path, "UpdInfo.txt"))) problem = "no UpdInfo.txt";
      else {
        try {
          info = readUpdInfo(path);
          if (info.version !== folderVersion) {
            problem = `UpdInfo.txt says ${info.version}, the folder name ${folderVersion}`;
          } else {
            minPlatformVersion = readInstallRecord(path).minPlatformVersion;
          }
        } catch (error) {
          problem =
            error instanceof AppError || error instanceof ClientError || error instanceof FormatError
              ? error.message
              : String(error);
        }
      }
      folders.push({ vendor, code: codeFolder, path, folderVersion, info, minPlatformVersion, problem });
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return folders.sort(
    (a, b) =>
      byName(a.code.toLowerCase(), b.code.toLowerCase()) ||
      compareVersions(a.folderVersion, b.folderVersion) ||
      byName(a.vendor, b.vendor),
  );
}

/** The releases the usable folders describe (the first folder of a version wins). */
function templateReleases(folders: readonly TemplateFolder[]): TemplateRelease[] {
  const byVersion = new Map<string, TemplateRelease>();
  for (const folder of folders) {
    if (!folder.info || folder.problem) continue;
    if (byVersion.has(folder.info.version)) continue;
    byVersion.set(folder.info.version, {
      version: folder.info.version,
      updateFrom: folder.info.fromVersions,
      minPlatformVersion: folder.minPlatformVersion,
      folder,
    });
  }
  return [...byVersion.values()];
}

/** The chain the templates allow from the installed `version`, by the same planner the server uses. */
export function planTemplates(
  folders: readonly TemplateFolder[],
  options: { version: string; target?: string; platform?: string },
): UpdatePlan<TemplateRelease> {
  return planUpdate(new ReleaseGraph(templateReleases(folders)), {
    from: options.version,
    ...(options.target ? { target: options.target } : {}),
    ...(options.platform ? { platformVersion: options.platform } : {}),
  });
}

/**
 * Refuses (exit code 6) a vendor, configuration code or id that is not a plain file or folder name:
 * they name folders of the templates directory, yet come from unsigned data (mirror.json, the API's
 * JSON). A catalogue code is such a name (never `..` or a slash).
 */
export function checkFolderName(what: string, name: unknown, source: string): string {
  if (!isCode(name)) {
    throw verificationFailed(
      `the ${what} ${JSON.stringify(name)} given by ${source} is not a safe folder name ` +
        `(letters, digits, "_", "." and "-", at most 64, starting with a letter or digit)`,
    );
  }
  return name;
}

/** Whether `path`, once resolved, lies strictly inside `root`. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel !== "" && !isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`);
}

function assertInside(root: string, folder: string): void {
  if (!isInside(root, folder)) {
    throw verificationFailed(`the install folder ${folder} lies outside the templates directory ${root}`);
  }
}

/** `<root>/<vendor>/<code>`, refused unless both names (given by `source`) are plain. */
export function configurationFolder(
  root: string,
  vendor: string,
  code: string,
  source = "the update source",
): string {
  checkFolderName("vendor", vendor, source);
  checkFolderName("configuration code", code, source);
  return join(resolve(root), vendor, code);
}

/** `<configurationFolder>/<x_y_z_w>`. */
export function versionFolder(configurationDir: string, version: string): string {
  return join(configurationDir, versionToUnderscore(version));
}

/** `<root>/<vendor>/<code>/<x_y_z_w>`, refused unless the names are plain and the folder stays inside root. */
export function templateFolder(root: string, vendor: string, code: string, version: string): string {
  const folder = versionFolder(configurationFolder(root, vendor, code), version);
  assertInside(root, folder);
  return folder;
}

/**
 * The folder a verified 1c package installs into: `<root>/<vendor folder>/<code>/<x_y_z_w>` from its
 * manifest's `Destination=1C\HRM` (the vendor folder in lower case), not from a setting; null for a
 * package without a manifest (the caller keeps the configuration's own folder). A package whose
 * manifest names another configuration's code is refused (exit code 6).
 */
export async function manifestFolder(
  file: string,
  root: string,
  code: string,
  version: string,
): Promise<string | null> {
  const destination = await packageDestination(file);
  if (destination === null) return null;
  if (destination.code.toLowerCase() !== code.toLowerCase()) {
    throw verificationFailed(
      `the package of ${code} ${version} installs into ${destination.vendorFolder}\\${destination.code}, ` +
        "a folder of another configuration",
    );
  }
  return templateFolder(root, destination.vendorFolder, destination.code, version);
}

/** Whether a usable template of `version` is among the scanned folders, in whichever vendor folder. */
export function hasTemplate(folders: readonly TemplateFolder[], version: string): boolean {
  return folders.some((folder) => folder.problem === null && folder.folderVersion === version);
}

interface InstallOptions {
  /** The templates directory: a `finalDir` that does not lie inside it is refused before anything is written. */
  readonly root?: string;
  /** Recorded in upkeep.json beside UpdInfo.txt, so the offline `update` knows the platform the step needs (none: no file). */
  readonly minPlatformVersion?: string | null;
}

/**
 * Fills a temporary folder beside `finalDir`, then renames it into place: the templates directory
 * never shows half a step. A previous folder of the version is replaced, or put back on failure.
 */
async function installAtomically(
  finalDir: string,
  root: string | undefined,
  fill: (temporary: string) => Promise<string[]>,
): Promise<string[]> {
  if (root !== undefined) assertInside(root, finalDir);
  const parent = dirname(finalDir);
  mkdirSync(parent, { recursive: true });
  const suffix = randomBytes(4).toString("hex");
  const temporary = join(parent, `.${basename(finalDir)}.upkeep-${suffix}`);
  const previous = join(parent, `.${basename(finalDir)}.old-${suffix}`);
  mkdirSync(temporary);
  try {
    const files = await fill(temporary);
    if (existsSync(finalDir)) renameSync(finalDir, previous);
    renameSync(temporary, finalDir);
    rmSync(previous, { recursive: true, force: true });
    return files;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (existsSync(previous) && !existsSync(finalDir)) renameSync(previous, finalDir);
    throw error;
  }
}

/**
 * Unpacks a verified package into the version's folder, checking that its UpdInfo.txt names
 * `version` (a package without one is refused: it could never be recognised as a template) and
 * recording upkeep.json; atomically.
 */
export async function installPackage(
  zipFile: string,
  finalDir: string,
  version: string,
  options: InstallOptions = {},
): Promise<string[]> {
  return installAtomically(finalDir, options.root, async (temporary) => {
    const files = await unpackZip(zipFile, temporary);
    if (!existsSync(join(temporary, "UpdInfo.txt"))) {
      throw verificationFailed(
        `the package for ${version} holds no UpdInfo.txt, so it is not an update template this client could use`,
      );
    }
    let info: UpdInfo;
    try {
      info = readUpdInfo(temporary);
    } catch (error) {
      throw new ClientError(`The package for ${version} has an unreadable UpdInfo.txt: ${error}`);
    }
    if (info.version !== normalizeVersion(version, "version")) {
      throw new ClientError(
        `The package for ${version} says it is ${info.version} (UpdInfo.txt); it was not installed.`,
      );
    }
    if (options.minPlatformVersion) {
      const record: InstallRecord = { minPlatformVersion: options.minPlatformVersion };
      writeFileSync(join(temporary, INSTALL_RECORD), `${JSON.stringify(record, null, 2)}\n`);
    }
    return files;
  });
}

/** A file name from the (signed) target path, refused unless it is one plain name. */
function plainFileName(fileName: string): string {
  try {
    return validateFileName(fileName);
  } catch {
    throw verificationFailed(`the file name ${JSON.stringify(fileName)} is not a plain file name`);
  }
}

/**
 * A `file` configuration's step: the verified file, as it is, the only file of the version's
 * folder, under its own name; atomically.
 */
export async function installFile(
  file: string,
  finalDir: string,
  fileName: string,
  options: Pick<InstallOptions, "root"> = {},
): Promise<string[]> {
  const name = plainFileName(fileName);
  return installAtomically(finalDir, options.root, async (temporary) => {
    await copyFile(file, join(temporary, name));
    return [name];
  });
}

/** Whether the folder already holds this very file (a `file` configuration's installed step). */
export async function isFileInstalled(
  folder: string,
  fileName: string,
  expected: { readonly size: number; readonly sha256: string },
): Promise<boolean> {
  const path = join(folder, plainFileName(fileName));
  try {
    if (statSync(path).size !== expected.size) return false;
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest("hex") === expected.sha256;
  } catch {
    return false;
  }
}

/** Leftovers of an interrupted install (temporary folders beside the version folders). */
export function sweepTemporaryFolders(root: string, vendor: string, code: string): void {
  sweepFolder(configurationFolder(root, vendor, code));
}

/** The same in every vendor folder holding the configuration (a package's manifest names its own). */
export function sweepTemplates(root: string, code: string): void {
  for (const { path } of configurationFolders(root, code)) sweepFolder(path);
}

function sweepFolder(dir: string): void {
  if (!isDirectory(dir)) return;
  for (const name of readdirSync(dir)) {
    const match = /^\.(\d+_\d+_\d+_\d+)\.(upkeep|old)-[0-9a-f]+$/.exec(name);
    if (!match) continue;
    // An old folder whose replacement never arrived goes back into place.
    if (match[2] === "old" && !existsSync(join(dir, match[1]!)))
      renameSync(join(dir, name), join(dir, match[1]!));
    else rmSync(join(dir, name), { recursive: true, force: true });
  }
}
