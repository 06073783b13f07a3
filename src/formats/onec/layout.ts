/**
 * Where 1C puts an update package, in the templates directory and on the legacy feed:
 *
 *     <templates>/<vendor folder>/<code>/<x_y_z_w>/       e.g. 1c/HRM/3_0_11_36/
 *     <feed root>/<vendor folder>/<code>/<x_y_z_w>/1cv8.zip
 *
 * The vendor folder and code come from the manifest's first `Destination=1C\HRM`. 1C's own tools
 * write the vendor folder in lower case (`tmplts\1c\hrm\...` in the update order, `1c/HRM/...` in the
 * update list): Windows does not mind, other systems do, so the folder here is always lower case and
 * the code keeps its spelling.
 */
import { isCode } from "../../domain/catalogue.ts";
import { readVersion } from "./text.ts";

export interface TemplateDestination {
  /** Lower case, e.g. `1c`. */
  readonly vendorFolder: string;
  /** As the manifest spells it, e.g. `HRM`. */
  readonly code: string;
}

/** `1C\HRM` -> { vendorFolder: "1c", code: "HRM" }; null unless both parts are plain names. */
export function parseDestination(destination: string): TemplateDestination | null {
  const parts = destination.split("\\");
  if (parts.length !== 2) return null;
  const [vendor, code] = parts as [string, string];
  if (!isCode(vendor) || !isCode(code)) return null;
  return { vendorFolder: vendor.toLowerCase(), code };
}

/** `3.0.11.36` -> `3_0_11_36`. */
export function versionFolderName(version: string): string {
  return version.replaceAll(".", "_");
}

/** `3_0_11_36` -> `3.0.11.36`, or null for any other name. */
export function readVersionFolderName(name: string): string | null {
  return /^\d+_\d+_\d+_\d+$/.test(name) ? readVersion(name.replaceAll("_", ".")) : null;
}

/** The folders of a version's template under the templates directory: [vendor folder, code, x_y_z_w]. */
export function templateFolders(destination: TemplateDestination, version: string): [string, string, string] {
  return [destination.vendorFolder, destination.code, versionFolderName(version)];
}

/** The template's path as the update service names it: `1c\HRM\3_0_11_36`. */
export function templatePath(destination: TemplateDestination, version: string): string {
  return templateFolders(destination, version).join("\\");
}

export const PACKAGE_FILE = "1cv8.zip";

/** A package's path on the legacy feed, relative to its root: `1c/HRM/3_0_11_36/1cv8.zip`. */
export function feedPath(destination: TemplateDestination, version: string, fileName = PACKAGE_FILE): string {
  return [...templateFolders(destination, version), fileName].join("/");
}

export interface FeedPath extends TemplateDestination {
  readonly version: string;
  readonly fileName: string;
}

/** `1c/HRM/3_0_11_36/1cv8.zip` -> its parts; null for a path of another shape. */
export function parseFeedPath(path: string): FeedPath | null {
  const parts = path.split("/");
  if (parts.length !== 4) return null;
  const [vendorFolder, code, folder, fileName] = parts as [string, string, string, string];
  const version = readVersionFolderName(folder);
  if (!isCode(vendorFolder) || !isCode(code) || version === null || !isCode(fileName)) return null;
  return { vendorFolder: vendorFolder.toLowerCase(), code, version, fileName };
}
