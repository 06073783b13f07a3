/**
 * The name of a zip entry as 1C packages spell it. They are made on Russian Windows: a name without
 * the UTF-8 flag is in the OEM code page 866, not the CP437 the zip format assumes. Backslashes
 * (Windows tools) become slashes. Shared by the server's package check and the client's unpacking.
 */
const UTF8_FLAG = 0x800;

export function zipEntryName(raw: Buffer, generalPurposeBitFlag: number): string {
  let name: string;
  if (generalPurposeBitFlag & UTF8_FLAG) name = raw.toString("utf8");
  else {
    try {
      name = new TextDecoder("ibm866").decode(raw);
    } catch {
      name = raw.toString("latin1");
    }
  }
  return name.replaceAll("\\", "/");
}
