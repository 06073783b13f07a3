/**
 * `upkeep-client templates` over a templates directory in the real layout, offline: folders this
 * client installed beside folders the 1C program installed itself (no upkeep.json, the code folder
 * in lower case as 1C writes it on Windows), each read from its own UpdInfo.txt.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { installPackage, manifestFolder } from "../../src/client/templates.ts";
import { writeUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { updatePackage } from "../support/update-package.ts";

const root = new URL("../../", import.meta.url).pathname;

function client(args: string[], home: string) {
  return spawnSync(process.execPath, ["bin/upkeep-client", ...args], {
    cwd: root,
    env: { ...process.env, UPKEEP_CLIENT_HOME: home },
    encoding: "utf8",
  });
}

describe("upkeep-client templates in the real layout", () => {
  let work: string;
  let templates: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "upkeep-client-templates-"));
    templates = join(work, "tmplts");
    // Installed by this client: where the package's manifest says (Destination=1C\HRM -> 1c/HRM).
    const file = join(work, "1cv8.zip");
    writeFileSync(file, updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] }));
    const folder = (await manifestFolder(file, templates, "HRM", "3.0.11.36"))!;
    await installPackage(file, folder, "3.0.11.36", { root: templates, minPlatformVersion: "8.3.3.721" });
    // Installed by the 1C program itself: 1c\hrm\3_0_12_38, its UpdInfo.txt with a BOM, nothing of ours.
    const byOneC = join(templates, "1c", "hrm", "3_0_12_38");
    mkdirSync(byOneC, { recursive: true });
    writeFileSync(
      join(byOneC, "UpdInfo.txt"),
      writeUpdInfo(
        { version: "3.0.12.38", fromVersions: ["3.0.11.36"], updateDate: "2014-02-10" },
        { bom: true },
      ),
    );
    writeFileSync(join(byOneC, "1cv8.cfu"), "update");
    // A full template of another configuration, and a folder with a broken UpdInfo.txt.
    const demo = join(templates, "1c", "DemoHRM", "3_0_11_36");
    mkdirSync(demo, { recursive: true });
    writeFileSync(
      join(demo, "UpdInfo.txt"),
      writeUpdInfo({ version: "3.0.11.36", fromVersions: [], updateDate: null }, { bom: false }),
    );
    const broken = join(templates, "1c", "HRM", "3_0_13_1");
    mkdirSync(broken);
    writeFileSync(
      join(broken, "UpdInfo.txt"),
      "FromVersions=;3.0.12.38;\r\nVersion=3.0.13.1\r\nUpdateDate=\r\n",
    );
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("lists every template of the directory with the versions each updates from", () => {
    const run = client(["templates", "--templates", templates], join(work, "home"));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        `Templates in ${templates}:`,
        "  3.0.11.36  1c/DemoHRM  ",
        "  3.0.11.36  1c/HRM  from 3.0.10.32  dated 2024-03-15",
        "  3.0.12.38  1c/hrm  from 3.0.11.36  dated 2014-02-10",
        "  3.0.13.1  1c/HRM  UNUSABLE: UpdInfo.txt, line 1: FromVersions= stands where Version= must (the order is Version, FromVersions, UpdateDate).",
        "",
      ].join("\n"),
    );
  });

  it("plans a configuration's chain through the templates whoever installed them", () => {
    const run = client(
      ["templates", "--templates", templates, "--configuration", "HRM", "--version", "3.0.10.32", "--json"],
      join(work, "home"),
    );
    assert.equal(run.status, 0, run.stderr);
    const event = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .find((entry) => entry.event === "templates");
    assert.deepEqual(
      event.folders.map((folder: { code: string; version: string; minPlatformVersion: string | null }) => [
        folder.code,
        folder.version,
        folder.minPlatformVersion,
      ]),
      [
        ["HRM", "3.0.11.36", "8.3.3.721"],
        ["hrm", "3.0.12.38", null],
        ["HRM", "3.0.13.1", null],
      ],
    );
    assert.deepEqual(event.plan.steps, [
      { version: "3.0.11.36", folder: join(templates, "1c", "HRM", "3_0_11_36") },
      { version: "3.0.12.38", folder: join(templates, "1c", "hrm", "3_0_12_38") },
    ]);
  });
});
