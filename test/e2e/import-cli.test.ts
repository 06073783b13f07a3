/** `bin/upkeep import` and `bin/upkeep import-list` as a vendor runs them, on the embedded default. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { writeZip } from "../../src/formats/zip-writer.ts";
import { cp866, updatePackage } from "../support/update-package.ts";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = new URL("../fixtures/1c/", import.meta.url).pathname;
const HRM_NAME = "ЗарплатаИУправлениеПерсоналом";

function upkeep(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["bin/upkeep", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("bin/upkeep import and import-list", () => {
  let work: string;
  let env: Record<string, string>;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "upkeep-import-"));
    env = { UPKEEP_DATA_DIR: join(work, "data"), LOG_LEVEL: "silent" };
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const counts = async () => {
    const opened = await openUpkeep(loadConfig(env));
    try {
      const db = opened.database.db;
      const count = async (table: "releases" | "distributions" | "audit_log" | "configurations") =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        configurations: await count("configurations"),
        releases: await count("releases"),
        distributions: await count("distributions"),
        audit: await count("audit_log"),
      };
    } finally {
      await opened.close();
    }
  };

  const blobs = () =>
    readdirSync(join(work, "data", "blobs"), { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    ).length;

  it("imports the update list, then finds nothing to change", () => {
    const first = upkeep(["import-list", join(fixtures, "v8upd11.zip")], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^HRM 3\.0\.8\.46: created \(configuration created, release created\)$/m);
    assert.match(
      first.stdout,
      /Imported the list of 22\.09\.2015T18:07:21 \(54 updates\): 54 created, 0 updated, 0 unchanged\.\n$/,
    );
    const again = upkeep(["import-list", join(fixtures, "v8upd11.xml")], env);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(
      again.stdout,
      "Imported the list of 22.09.2015T18:07:21 (54 updates): 0 created, 0 updated, 54 unchanged.\n",
    );
  });

  it("imports a folder of packages with a summary and no progress bar off a terminal; again, nothing changes", async () => {
    const folder = join(work, "packages");
    const packages = [
      { version: "3.0.11.36", fromVersions: ["3.0.10.32", "3.0.11.34"] },
      { version: "3.0.12.38", fromVersions: ["3.0.11.36"] },
      { version: "3.0.30.1", fromVersions: ["3.0.12.38"] },
    ];
    for (const { version, fromVersions } of packages) {
      const dir = join(folder, "1c", "HRM", version.replaceAll(".", "_"));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "1cv8.zip"),
        updatePackage({ code: "HRM", name: HRM_NAME, version, fromVersions }),
      );
    }
    const run = upkeep(["import", folder, "--publish"], env);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, "", "no progress bar when standard error is not a terminal");
    assert.match(
      run.stdout,
      /^HRM 3\.0\.11\.36: updated \(release date, update-from versions, documents updated, update file stored, published\)$/m,
    );
    assert.match(
      run.stdout,
      /^HRM 3\.0\.30\.1: created \(release created, update file stored, published\)$/m,
    );
    assert.match(run.stdout, /Imported 3 packages: 1 created, 2 updated, 0 unchanged\.\n$/);
    const before = await counts();
    const again = upkeep(["import", folder, "--publish"], env);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, "Imported 3 packages: 0 created, 0 updated, 3 unchanged.\n");
    assert.deepEqual(await counts(), before);
    const single = upkeep(["import", join(folder, "1c", "HRM", "3_0_12_38")], env);
    assert.equal(
      single.stdout,
      "HRM 3.0.12.38: unchanged\nImported 1 package: 0 created, 0 updated, 1 unchanged.\n",
    );
  });

  it("refuses malformed and unsafe packages with exit code 2, naming the file and line, importing nothing", async () => {
    const before = await counts();
    const blobsBefore = blobs();
    const folder = join(work, "bad");
    mkdirSync(join(folder, "a"), { recursive: true });
    mkdirSync(join(folder, "b"), { recursive: true });
    // A good package beside a bad one: nothing of the folder is imported.
    writeFileSync(
      join(folder, "a", "1cv8.zip"),
      updatePackage({ code: "HRM", name: HRM_NAME, version: "3.0.31.1", fromVersions: [] }),
    );
    writeFileSync(
      join(folder, "b", "1cv8.zip"),
      updatePackage({
        code: "HRM",
        name: HRM_NAME,
        version: "3.0.31.2",
        fromVersions: [],
        entries: (entries) =>
          entries.map((entry) =>
            entry.name.toString() === "UpdInfo.txt"
              ? {
                  ...entry,
                  data: Buffer.from("Version=3.0.31.2\r\nUpdateDate=01.01.2020\r\nFromVersions=\r\n"),
                }
              : entry,
          ),
      }),
    );
    const malformed = upkeep(["import", folder], env);
    assert.equal(malformed.status, 2, malformed.stderr);
    assert.equal(
      malformed.stderr.trim(),
      `upkeep: ${folder}/b/1cv8.zip: UpdInfo.txt, line 2: ` +
        "UpdateDate= stands where FromVersions= must (the order is Version, FromVersions, UpdateDate). Nothing was imported.",
    );

    const evil = join(work, "evil.zip");
    writeFileSync(
      evil,
      writeZip(
        [
          { name: cp866("UpdInfo.txt"), data: Buffer.from("x") },
          { name: Buffer.from("../../evil.txt"), data: Buffer.from("x") },
        ],
        new Date(),
      ),
    );
    const traversal = upkeep(["import", evil], env);
    assert.equal(traversal.status, 2);
    assert.match(
      traversal.stderr,
      /evil\.zip: the entry "\.\.\/\.\.\/evil\.txt" climbs out of the folder\. Nothing was imported\./,
    );

    const bomb = join(work, "bomb.zip");
    writeFileSync(bomb, writeZip([{ name: "1cv8.cfu", data: Buffer.alloc(8 * 1024 * 1024) }], new Date()));
    const bombed = upkeep(["import", bomb], env);
    assert.equal(bombed.status, 2);
    assert.match(bombed.stderr, /bomb\.zip: the entry "1cv8\.cfu" inflates more than 200 times/);

    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    writeFileSync(join(unpacked, "1cv8.mft"), "x");
    const folderRun = upkeep(["import", unpacked], env);
    assert.equal(folderRun.status, 2);
    assert.match(folderRun.stderr, /is an unpacked package: import its 1cv8\.zip/);

    const badList = join(work, "v8cscdsc.xml");
    const real = readFileSync(join(fixtures, "v8upd11.xml"), "utf8");
    writeFileSync(badList, real.replace("<v8u:size>7\u00A0873\u00A0894</v8u:size>", "<v8u:size></v8u:size>"));
    const listRun = upkeep(["import-list", badList], env);
    assert.equal(listRun.status, 2);
    assert.match(listRun.stderr, /v8cscdsc\.xml, line 14: <size> is empty\. Nothing was imported\./);

    assert.deepEqual(await counts(), before);
    assert.equal(blobs(), blobsBefore);
  });

  it("publishes a patch for published versions; one for an unknown version is refused with exit code 2", () => {
    const file = join(work, "fix-holiday.cfe");
    writeFileSync(file, "patch bytes");
    const run = upkeep(
      [
        "patch",
        "publish",
        file,
        "--configuration",
        "HRM",
        "--name",
        "Fix holiday pay",
        "--versions",
        "3.0.12.38",
      ],
      env,
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Published patch [0-9a-f-]{36} of HRM for 3\.0\.12\.38\.\n$/);
    const refused = upkeep(
      ["patch", "publish", file, "--configuration", "HRM", "--name", "Fix", "--versions", "9.9.9.9"],
      env,
    );
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /HRM has no published release 9\.9\.9\.9 to patch\. \(unknown_patch_version\)/,
    );
  });
});
