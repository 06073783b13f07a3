import yazl from "yazl";

/** A zip file in memory; entries are compressed unless `compress: false`. */
export function zip(entries: readonly { name: string; data: Buffer; compress?: boolean }[]): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const entry of entries) file.addBuffer(entry.data, entry.name, { compress: entry.compress ?? true });
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    file.outputStream.on("error", reject);
  });
}
