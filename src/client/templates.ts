/**
 * The update templates directory: `<tmplts>/<vendor>/<CODE>/<x_y_z_w>/` holding unpacked packages
 * (shared/COMPAT-1C.md). Reading it offline, planning over it with the server's planner, and
 * installing a verified package into it atomically.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AppError } from "../domain/errors.ts";
import { parseUpdInfo, type UpdInfo } from "../domain/upd-info.ts";
import { planUpdate, ReleaseGraph, type UpdatePlan } from "../domain/update-planner.ts";
import { normalizeVersion, versionFromUnderscore, versionToUnderscore } from "../domain/version.ts";
import { ClientError, verificationFailed } from "./errors.ts";
import { unpackZip } from "./unzip.ts";

export interface TemplateFolder {
  readonly vendor: string;
  readonly path: string;
  /** From the folder name (x_y_z_w). */
  readonly folderVersion: string;
  readonly info: UpdInfo | null;
  /** Why the folder cannot be used, when it cannot. */
  readonly problem: string | null;
}

export interface TemplateRelease {
  readonly version: string;
  readonly updateFrom: readonly string[];
  readonly minPlatformVersion: string | null;
  readonly folder: TemplateFolder;
}

const VERSION_FOLDER = /^\d+_\d+_\d+_\d+$/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function readUpdInfo(folder: string): UpdInfo {
  return parseUpdInfo(readFileSync(join(folder, "UpdInfo.txt"), "utf8"));
}

/** Every `<vendor>/<code>/<x_y_z_w>` folder of the templates directory, oldest first. */
export function scanTemplates(root: string, code: string): TemplateFolder[] {
  if (!isDirectory(root)) throw new ClientError(`The templates directory ${root} does not exist.`);
  const folders: TemplateFolder[] = [];
  for (const vendor of readdirSync(root).sort()) {
    const configurationDir = join(root, vendor, code);
    if (vendor.startsWith(".") || !isDirectory(configurationDir)) continue;
    for (const name of readdirSync(configurationDir).sort()) {
      const path = join(configurationDir, name);
      if (!VERSION_FOLDER.test(name) || !isDirectory(path)) continue;
      let folderVersion: string;
      try {
        folderVersion = versionFromUnderscore(name.split("_").map(Number).join("_"));
      } catch {
        continue;
      }
      let info: UpdInfo | null = null;
      let problem: string | null = null;
      if (!existsSync(join(path, "UpdInfo.txt"))) problem = "no UpdInfo.txt";
      else {
        try {
          info = readUpdInfo(path);
          if (info.version !== folderVersion) {
            problem = `UpdInfo.txt says ${info.version}, the folder name ${folderVersion}`;
          }
        } catch (error) {
          problem = error instanceof AppError ? error.message : String(error);
        }
      }
      folders.push({ vendor, path, folderVersion, info, problem });
    }
  }
  return folders.sort((a, b) => compareFolder(a, b));
}

function compareFolder(a: TemplateFolder, b: TemplateFolder): number {
  const x = a.folderVersion.split(".").map(Number);
  const y = b.folderVersion.split(".").map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : 0;
}

/** The releases the usable folders describe (the first folder of a version wins). */
export function templateReleases(folders: readonly TemplateFolder[]): TemplateRelease[] {
  const byVersion = new Map<string, TemplateRelease>();
  for (const folder of folders) {
    if (!folder.info || folder.problem) continue;
    if (byVersion.has(folder.info.version)) continue;
    byVersion.set(folder.info.version, {
      version: folder.info.version,
      updateFrom: folder.info.fromVersions,
      minPlatformVersion: null,
      folder,
    });
  }
  return [...byVersion.values()];
}

/** The chain the templates allow, by the same planner the server uses. */
export function planTemplates(
  folders: readonly TemplateFolder[],
  request: { from: string; target?: string; platformVersion?: string },
): UpdatePlan<TemplateRelease> {
  const graph = new ReleaseGraph(templateReleases(folders));
  try {
    return planUpdate(graph, request);
  } catch (error) {
    if (error instanceof AppError) throw new ClientError(error.message);
    throw error;
  }
}

/**
 * A vendor or configuration code becomes a folder name of the templates directory, yet it comes from
 * unsigned data (mirror.json, the API's JSON): only plain names are accepted, never `..` or a slash.
 */
export const SAFE_FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isSafeFolderName(name: unknown): name is string {
  return typeof name === "string" && SAFE_FOLDER_NAME.test(name) && name !== "." && name !== "..";
}

/** Refuses (exit code 6) a vendor, configuration code or id that is not a plain file or folder name. */
export function checkFolderName(what: string, name: unknown, source: string): string {
  if (!isSafeFolderName(name)) {
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

/** `<root>/<vendor>/<code>/<x_y_z_w>`, refused unless the names are plain and the folder stays inside root. */
export function templateFolder(root: string, vendor: string, code: string, version: string): string {
  checkFolderName("vendor", vendor, "the update source");
  checkFolderName("configuration code", code, "the update source");
  const folder = join(resolve(root), vendor, code, versionToUnderscore(version));
  assertInside(root, folder);
  return folder;
}

/** Whether the folder for `version` already holds that version's package. */
export function isInstalled(folder: string, version: string): boolean {
  try {
    return readUpdInfo(folder).version === normalizeVersion(version);
  } catch {
    return false;
  }
}

/**
 * Unpacks a verified package into a temporary folder beside `finalDir`, checks that its UpdInfo.txt
 * names `version`, then renames it into place: the templates directory never shows half a package.
 * With `root`, a `finalDir` that does not lie inside that templates directory is refused first.
 */
export async function installPackage(
  zipFile: string,
  finalDir: string,
  version: string,
  root?: string,
): Promise<string[]> {
  if (root !== undefined) assertInside(root, finalDir);
  const parent = dirname(finalDir);
  mkdirSync(parent, { recursive: true });
  const suffix = randomBytes(4).toString("hex");
  const temporary = join(parent, `.${basename(finalDir)}.upkeep-${suffix}`);
  const previous = join(parent, `.${basename(finalDir)}.old-${suffix}`);
  mkdirSync(temporary);
  try {
    const files = await unpackZip(zipFile, temporary);
    if (existsSync(join(temporary, "UpdInfo.txt"))) {
      let info: UpdInfo;
      try {
        info = readUpdInfo(temporary);
      } catch (error) {
        throw new ClientError(`The package for ${version} has an unreadable UpdInfo.txt: ${error}`);
      }
      if (info.version !== normalizeVersion(version)) {
        throw new ClientError(
          `The package for ${version} says it is ${info.version} (UpdInfo.txt); it was not installed.`,
        );
      }
    }
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

/** Leftovers of an interrupted install (temporary folders beside the version folders). */
export function sweepTemporaryFolders(root: string, vendor: string, code: string): void {
  checkFolderName("vendor", vendor, "the update source");
  checkFolderName("configuration code", code, "the update source");
  const dir = join(root, vendor, code);
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
