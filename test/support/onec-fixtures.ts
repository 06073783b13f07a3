/**
 * A catalogue as a 1C vendor's: the real update list of "ЗарплатаИУправлениеПерсоналом"
 * (test/fixtures/1c/v8upd11.xml) imported with the import use case, then a package built by
 * update-package.ts for each of its updates, published; a basic and a PROF product of HRM and a
 * client holding each (the PROF one without support).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readUpdateList, type UpdateList } from "../../src/formats/onec/update-list.ts";
import { readUpdatePackage } from "../../src/formats/onec/update-package.ts";
import type { DialectName, TestApp } from "./harness.ts";
import { startTestApp } from "./harness.ts";
import { sha256 } from "./hash.ts";
import {
  clientHolding,
  createProduct,
  HIGH_RATE_LIMITS,
  issueRegistered,
  partnerAccount,
} from "./registration-fixtures.ts";
import { updatePackage } from "./update-package.ts";

export const HRM_NAME = "ЗарплатаИУправлениеПерсоналом";
export const FIXTURE_LIST: UpdateList = readUpdateList(
  readFileSync(new URL("../fixtures/1c/v8upd11.xml", import.meta.url)),
);
export const FIXTURE_UPD_INFO = readFileSync(new URL("../fixtures/1c/UpdInfo.txt", import.meta.url));
/** The list's date, as the real feed's UpdInfo.txt dates its newest update. */
const LIST_DAY = "2015-09-22";

export interface Client {
  readonly login: string;
  readonly password: string;
}

export interface OnecApp {
  readonly t: TestApp;
  /** version -> the package's bytes and its 1cv8.cfu. */
  readonly packages: Map<string, { bytes: Buffer; cfu: Buffer }>;
  readonly basic: Client;
  readonly profUnsupported: Client;
}

export const cfuOf = (version: string) => Buffer.from(`HRM update file ${version}\n`.repeat(40));

export const basicAuth = (client: Client) =>
  `Basic ${Buffer.from(`${client.login}:${client.password}`).toString("base64")}`;

export const md5Base64 = (bytes: Buffer) => createHash("md5").update(bytes).digest("base64");

export async function startOnecApp(dialect: DialectName): Promise<OnecApp> {
  const t = await startTestApp(dialect, HIGH_RATE_LIMITS);
  try {
    const services = t.upkeep.services;
    await services.catalogueImport.importUpdateList(FIXTURE_LIST, t.admin.id);
    const packages = new Map<string, { bytes: Buffer; cfu: Buffer }>();
    for (const update of FIXTURE_LIST.updates) {
      const cfu = cfuOf(update.version);
      const bytes = updatePackage({
        code: "HRM",
        name: HRM_NAME,
        version: update.version,
        fromVersions: update.updateFrom,
        updateDate: LIST_DAY,
        cfu,
      });
      const contents = await readUpdatePackage({ buffer: bytes }, "1cv8.zip");
      await services.catalogueImport.importPackage(
        {
          contents,
          body: () => Readable.from([bytes]),
          size: bytes.length,
          sha256: sha256(bytes),
          publish: true,
        },
        t.admin.id,
      );
      packages.set(update.version, { bytes, cfu });
    }
    await createProduct(t, "HRM-BASIC", "basic", ["HRM"]);
    await createProduct(t, "HRM-PROF", "prof", ["HRM"]);
    const partner = await partnerAccount(t, "Partner Alpha");
    const basicNumber = await issueRegistered(t, "HRM-BASIC");
    const profNumber = await issueRegistered(t, "HRM-PROF");
    const basic = await clientHolding(t, partner.token, [basicNumber.registrationNumber]);
    const prof = await clientHolding(t, partner.token, [profNumber.registrationNumber]);
    return {
      t,
      packages,
      basic: { login: basic.userCode, password: basic.password },
      profUnsupported: { login: prof.userCode, password: prof.password },
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}
