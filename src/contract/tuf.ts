/**
 * The TUF target path rule, shared by the server's targets metadata and the client, which names
 * the targets it fetches. No schema library here: the client loads this module at run time.
 */
import { versionToUnderscore } from "../domain/version.ts";

/** `<configuration>/<version with underscores>/<kind>/<fileName>`, e.g. `HRM/3_0_11_36/update/1cv8.zip`. */
export function tufTargetPath(
  configuration: string,
  version: string,
  kind: string,
  fileName: string,
): string {
  return `${configuration}/${versionToUnderscore(version)}/${kind}/${fileName}`;
}
