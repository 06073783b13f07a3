/**
 * A small zip writer whose bytes depend only on its input (the same list gives the same file, so a
 * generated feed can be cached and served with a stable length), with names exactly as given:
 * never the UTF-8 flag, which 1C's tools do not read. Entries are deflated unless `stored`.
 */
import { crc32, deflateRawSync } from "node:zlib";

export interface ZipWriterEntry {
  /** An ASCII name, or the name's bytes in the code page the reader expects (866 for 1C). */
  readonly name: string | Buffer;
  readonly data: Buffer;
  /** Kept uncompressed, as 1C stores `1cv8.cfu`. */
  readonly stored?: boolean;
  /** Marked as text in the central directory, as the vendor's archiver marks UpdInfo.txt. */
  readonly text?: boolean;
  /** The Unix file mode kept in the external attributes; a regular rw-rw-rw- file by default. */
  readonly mode?: number;
}

const MADE_BY_FAT_2_0 = 20;
const REGULAR_FILE_MODE = 0o100666;
/** MS-DOS "archive" attribute, in the low byte of the external attributes. */
const DOS_ARCHIVE = 0x20;
const STORED = 0;
const DEFLATED = 8;

function dosDateTime(at: Date): { date: number; time: number } {
  return {
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
  };
}

/** The "extended timestamp" extra field with the modification time. */
function unixTime(at: Date): Buffer {
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x5455, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(Math.floor(at.getTime() / 1000), 5);
  return field;
}

function nameBytes(name: string | Buffer): Buffer {
  if (typeof name !== "string") return name;
  if (!/^[\x20-\x7e]+$/.test(name))
    throw new Error(`The zip entry name ${JSON.stringify(name)} is not ASCII; give its bytes.`);
  return Buffer.from(name, "latin1");
}

/** The zip's bytes; every entry carries `modified` as its time. */
export function writeZip(entries: readonly ZipWriterEntry[], modified: Date): Buffer {
  const { date, time } = dosDateTime(modified);
  const extra = unixTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = nameBytes(entry.name);
    const method = entry.stored ? STORED : DEFLATED;
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const needed = entry.stored ? 10 : 20;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(needed, 4);
    local.writeUInt16LE(0, 6); // flags: no UTF-8 names, no data descriptor
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_FAT_2_0, 4);
    local.copy(central, 6, 4, 30); // needed .. extra length, the same as the local header's
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(entry.text ? 1 : 0, 36); // internal attributes
    central.writeUInt32LE((((entry.mode ?? REGULAR_FILE_MODE) << 16) | DOS_ARCHIVE) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);

    offset += local.length + name.length + extra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
