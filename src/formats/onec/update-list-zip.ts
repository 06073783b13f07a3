/**
 * `v8upd11.zip`, the archive the update list travels in: one entry, `v8cscdsc.xml`
 * (src/formats/onec/update-list.ts), deflated. Read through the safe zip reader.
 */
import { FormatError } from "../format-error.ts";
import { openSafeZip, type ZipSource } from "../zip.ts";
import { writeZip } from "../zip-writer.ts";
import {
  type ReadUpdateListOptions,
  readUpdateList,
  UPDATE_LIST_FILE,
  type UpdateList,
  writeUpdateList,
} from "./update-list.ts";

export const UPDATE_LIST_ZIP_FILE = "v8upd11.zip";
/** The real list of one configuration is some 25 KB; a list of thousands of releases stays far below. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

/** The list inside the archive; `file` names the archive in errors. */
export async function readUpdateListZip(
  source: ZipSource,
  file: string,
  options: Omit<ReadUpdateListOptions, "file"> = {},
): Promise<UpdateList> {
  const zip = await openSafeZip(source, file);
  try {
    const entry = zip.entries.find((candidate) => candidate.name.toLowerCase() === UPDATE_LIST_FILE);
    if (!entry) throw new FormatError(file, null, "missing", `the archive holds no ${UPDATE_LIST_FILE}.`);
    if (entry.size > MAX_LIST_BYTES) {
      throw new FormatError(
        file,
        null,
        "too-large",
        `${UPDATE_LIST_FILE} is ${entry.size} bytes, more than ${MAX_LIST_BYTES}.`,
      );
    }
    return readUpdateList(await zip.read(entry), { ...options, file: `${file}: ${entry.name}` });
  } finally {
    zip.close();
  }
}

/** The archive of `list`, its entry dated `modified`; the same list and date give the same bytes. */
export function writeUpdateListZip(list: UpdateList, modified: Date): Buffer {
  return writeZip([{ name: UPDATE_LIST_FILE, data: writeUpdateList(list), text: true }], modified);
}
