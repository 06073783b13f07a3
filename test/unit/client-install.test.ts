import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ClientError, EXIT } from "../../src/client/errors.ts";
import {
  checkFolderName,
  INSTALL_RECORD,
  installFile,
  installPackage,
  isFileInstalled,
  isInside,
  manifestFolder,
  planTemplates,
  scanTemplates,
  sweepTemporaryFolders,
  templateFolder,
} from "../../src/client/templates.ts";
import { unpackZip } from "../../src/client/unzip.ts";
import { isCode } from "../../src/domain/catalogue.ts";
import { writeUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { sha256 } from "../support/hash.ts";
import { updatePackage, whatsNewName } from "../support/update-package.ts";
import { zip } from "../support/zip.ts";

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "upkeep-client-install-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("unpacking and installing packages", () => {
  it("decodes CP866 names of 1C's packages and refuses paths outside the folder", async () => {
    const dest = join(work, "unzip-ok");
    mkdirSync(dest);
    const packageFile = join(work, "cp866-names.zip");
    writeFileSync(
      packageFile,
      updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] }),
    );
    const files = await unpackZip(packageFile, dest);
    assert.ok(files.includes("UpdInfo.txt"));
    assert.ok(files.includes(whatsNewName("3.0.11.36")), files.join(", "));

    // yazl refuses to write `..`, so the name is patched in the bytes (same length, CRC covers data only).
    const evil = Buffer.from(await zip([{ name: "AA/evil.txt", data: Buffer.from("x") }]));
    let at = evil.indexOf("AA/evil.txt");
    while (at >= 0) {
      evil.write("../", at);
      at = evil.indexOf("AA/evil.txt");
    }
    const evilFile = join(work, "evil.zip");
    writeFileSync(evilFile, evil);
    const target = join(work, "unzip-evil", "inner");
    mkdirSync(target, { recursive: true });
    await assert.rejects(unpackZip(evilFile, target), /unsafe path/);
    assert.ok(!existsSync(join(work, "unzip-evil", "evil.txt")));
  });

  it("installs atomically: a package of the wrong version leaves no folder and no temporary files", async () => {
    const root = join(work, "tmplts");
    const good = join(work, "good.zip");
    writeFileSync(
      good,
      await zip([
        {
          name: "UpdInfo.txt",
          data: writeUpdInfo(
            { version: "1.0.0.2", fromVersions: ["1.0.0.1"], updateDate: null },
            { bom: true },
          ),
        },
        { name: "1cv8.cfu", data: randomBytes(100) },
      ]),
    );
    const folder = join(root, "vendor", "CFG", "1_0_0_2");
    await installPackage(good, folder, "1.0.0.2");
    assert.deepEqual(readdirSync(folder).sort(), ["1cv8.cfu", "UpdInfo.txt"]);
    await assert.rejects(
      installPackage(good, join(root, "vendor", "CFG", "1_0_0_3"), "1.0.0.3"),
      /says it is 1\.0\.0\.2/,
    );
    assert.deepEqual(readdirSync(join(root, "vendor", "CFG")), ["1_0_0_2"]);

    const plan = planTemplates(scanTemplates(root, "CFG"), { version: "1.0.0.1" });
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["1.0.0.2"],
    );
  });

  it("refuses a package without UpdInfo.txt (exit code 6) and installs nothing", async () => {
    const root = join(work, "tmplts-no-updinfo");
    const file = join(work, "no-updinfo.zip");
    writeFileSync(file, await zip([{ name: "1cv8.cfu", data: randomBytes(100) }]));
    await assert.rejects(
      installPackage(file, join(root, "vendor", "CFG", "1_0_0_2"), "1.0.0.2", { root }),
      (error: unknown) =>
        error instanceof ClientError &&
        error.exitCode === EXIT.verification &&
        /the package for 1\.0\.0\.2 holds no UpdInfo\.txt/.test(error.message) &&
        /Nothing was installed/.test(error.message),
    );
    assert.deepEqual(readdirSync(join(root, "vendor", "CFG")), [], "no folder, no temporary files");
  });

  it("records the release's minimum platform, so the templates' plan asks for a newer platform", async () => {
    const root = join(work, "tmplts-platform");
    const versions = [
      { version: "1.0.0.2", from: "1.0.0.1", minPlatformVersion: "8.3.1.1" },
      { version: "1.0.0.3", from: "1.0.0.2", minPlatformVersion: "8.3.5.1" },
    ];
    for (const { version, from, minPlatformVersion } of versions) {
      const file = join(work, `platform-${version}.zip`);
      const updInfo = writeUpdInfo({ version, fromVersions: [from], updateDate: null }, { bom: true });
      writeFileSync(file, await zip([{ name: "UpdInfo.txt", data: updInfo }]));
      const folder = templateFolder(root, "vendor", "CFG", version);
      const files = await installPackage(file, folder, version, { root, minPlatformVersion });
      assert.deepEqual(files, ["UpdInfo.txt"], "the record is not one of the package's files");
      assert.deepEqual(JSON.parse(readFileSync(join(folder, INSTALL_RECORD), "utf8")), {
        minPlatformVersion,
      });
    }
    const folders = scanTemplates(root, "CFG");
    assert.deepEqual(
      folders.map((f) => [f.folderVersion, f.minPlatformVersion, f.problem]),
      [
        ["1.0.0.2", "8.3.1.1", null],
        ["1.0.0.3", "8.3.5.1", null],
      ],
    );
    const tooOld = planTemplates(folders, { version: "1.0.0.1", platform: "8.3.4.1" });
    assert.equal(tooOld.status, "update-available");
    assert.deepEqual(tooOld.platformUpgrade, { requiredVersion: "8.3.5.1" });
    assert.equal(planTemplates(folders, { version: "1.0.0.1", platform: "8.3.5.1" }).platformUpgrade, null);
  });
});

describe("the templates layout from the package's manifest", () => {
  it("installs into <vendor folder>/<code>/<x_y_z_w> from Destination=1C\\HRM, whatever the server calls the vendor", async () => {
    const root = join(work, "tmplts-manifest");
    const file = join(work, "manifest-package.zip");
    writeFileSync(file, updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] }));
    const folder = await manifestFolder(file, root, "HRM", "3.0.11.36");
    assert.equal(folder, join(root, "1c", "HRM", "3_0_11_36"));
    await installPackage(file, folder!, "3.0.11.36", { root });
    assert.deepEqual(readdirSync(join(root, "1c", "HRM", "3_0_11_36")).sort(), [
      "1cv8.cfu",
      "1cv8.mft",
      "1cv8upd.htm",
      "UpdInfo.txt",
      whatsNewName("3.0.11.36"),
    ]);
    assert.equal(await manifestFolder(file, root, "hrm", "3.0.11.36"), folder, "the code in any letter case");
  });

  it("refuses a package whose manifest names another configuration, and keeps the folder of one without a manifest", async () => {
    const root = join(work, "tmplts-manifest-other");
    const other = join(work, "other-package.zip");
    writeFileSync(
      other,
      updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: [], destination: "1C\\Accounting" }),
    );
    await assert.rejects(
      manifestFolder(other, root, "HRM", "3.0.11.36"),
      (error: unknown) =>
        error instanceof ClientError &&
        error.exitCode === EXIT.verification &&
        /installs into 1c\\Accounting, a folder of another configuration/.test(error.message),
    );
    const bare = join(work, "bare-package.zip");
    writeFileSync(
      bare,
      await zip([
        { name: "UpdInfo.txt", data: Buffer.from("Version=1.0.0.2\r\nFromVersions=\r\nUpdateDate=\r\n") },
      ]),
    );
    assert.equal(await manifestFolder(bare, root, "CFG", "1.0.0.2"), null);
    assert.ok(!existsSync(root), "nothing written");
  });
});

describe("installing a file configuration's update", () => {
  it("places the file as the only one of the version's folder, replacing an older copy atomically", async () => {
    const root = join(work, "tmplts-file");
    const file = join(work, "downloaded.part");
    const bytes = randomBytes(5000);
    writeFileSync(file, bytes);
    const folder = join(root, "acme", "TOOLS", "2_1_0_0");
    const expected = { size: bytes.length, sha256: sha256(bytes) };
    assert.equal(await isFileInstalled(folder, "tools setup.exe", expected), false);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "old-setup.exe"), "an interrupted earlier copy");

    assert.deepEqual(await installFile(file, folder, "tools setup.exe", { root }), ["tools setup.exe"]);
    assert.deepEqual(readdirSync(folder), ["tools setup.exe"]);
    assert.deepEqual(readFileSync(join(folder, "tools setup.exe")), bytes);
    assert.deepEqual(readdirSync(join(root, "acme", "TOOLS")), ["2_1_0_0"], "no temporary folder left");
    assert.equal(await isFileInstalled(folder, "tools setup.exe", expected), true);
    assert.equal(
      await isFileInstalled(folder, "tools setup.exe", { ...expected, sha256: "0".repeat(64) }),
      false,
      "a file of the same size but other bytes is not this step",
    );
  });

  it("refuses a file name that is not one plain name, writing nothing", async () => {
    const root = join(work, "tmplts-file-bad");
    const file = join(work, "downloaded-bad.part");
    writeFileSync(file, "bytes");
    for (const name of ["../escape.exe", "sub/dir.exe", ".."]) {
      await assert.rejects(
        installFile(file, join(root, "acme", "TOOLS", "2_1_0_0"), name, { root }),
        (error: unknown) => error instanceof ClientError && error.exitCode === EXIT.verification,
        name,
      );
    }
    assert.ok(!existsSync(join(root, "acme")));
  });
});

describe("install folders from unsigned names", () => {
  const refused = (pattern: RegExp) => (error: unknown) =>
    error instanceof ClientError &&
    error.exitCode === EXIT.verification &&
    pattern.test(error.message) &&
    /Nothing was installed/.test(error.message);

  it("accepts plain vendor and configuration codes and refuses anything that could leave the folder", () => {
    for (const name of ["1c", "HRM", "Vendor_Co.ltd-2", "a".repeat(64)]) assert.ok(isCode(name), name);
    for (const name of [
      "",
      ".",
      "..",
      "../x",
      "../../x",
      "a/b",
      "a\\b",
      ".hidden",
      "-x",
      "a".repeat(65),
      "a\0b",
    ]) {
      assert.ok(!isCode(name), JSON.stringify(name));
    }
    assert.ok(!isCode(undefined) && !isCode(7));
    assert.throws(
      () => checkFolderName("vendor", "../../x", "the mirror's mirror.json"),
      refused(/the vendor "\.\.\/\.\.\/x" given by the mirror's mirror\.json is not a safe folder name/),
    );
  });

  it("builds <root>/<vendor>/<CODE>/<x_y_z_w> only inside the templates directory", () => {
    const root = join(work, "tmplts-safe");
    assert.equal(templateFolder(root, "1c", "HRM", "3.0.11.36"), join(root, "1c", "HRM", "3_0_11_36"));
    assert.throws(() => templateFolder(root, "../../x", "HRM", "3.0.11.36"), refused(/vendor/));
    assert.throws(() => templateFolder(root, "1c", "..", "3.0.11.36"), refused(/configuration code/));
    assert.throws(() => sweepTemporaryFolders(root, "..", "HRM"), refused(/vendor/));
    assert.ok(isInside(root, join(root, "1c", "HRM", "3_0_11_36")));
    assert.ok(!isInside(root, root));
    assert.ok(!isInside(root, join(root, "..", "x")));
    assert.ok(!isInside(root, `${root}-sibling`));
    assert.ok(!existsSync(root), "nothing was written");
  });

  it("installPackage refuses a final folder outside the templates directory before writing", async () => {
    const root = join(work, "tmplts-inside");
    const outside = join(work, "outside-of-tmplts", "CFG", "1_0_0_2");
    const file = join(work, "inside.zip");
    writeFileSync(file, await zip([{ name: "1cv8.cfu", data: randomBytes(10) }]));
    await assert.rejects(
      installPackage(file, outside, "1.0.0.2", { root }),
      refused(/lies outside the templates/),
    );
    assert.ok(!existsSync(join(work, "outside-of-tmplts")));
  });
});
