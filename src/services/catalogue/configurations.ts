import type { Kysely } from "kysely";
import type { Configuration } from "../../contract/catalogue.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import type { CatalogueRepository } from "../../db/repositories/catalogue.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import {
  CONFIGURATION_KINDS,
  type ConfigurationKind,
  DEFAULT_PACKAGE_FORMAT,
  validateCode,
  validatePackageFormat,
} from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest, conflict } from "../../domain/errors.ts";

export interface ConfigurationsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** The catalogue repository made over `db`. */
  readonly catalogue: CatalogueRepository;
}

/** Configurations: the programs releases are published for. */
export function createConfigurations(deps: ConfigurationsDeps) {
  const { db, clock, catalogue } = deps;
  return {
    async createConfiguration(
      input: {
        code: string;
        name: string;
        kind: string;
        vendor?: string;
        programName?: string | null;
        packageFormat?: string;
      },
      actorId: string | null,
    ): Promise<Configuration> {
      const code = validateCode(input.code, "configuration code");
      if (!(CONFIGURATION_KINDS as readonly string[]).includes(input.kind)) {
        throw badRequest("invalid_kind", `kind is one of ${CONFIGURATION_KINDS.join(", ")}.`);
      }
      const vendor = validateCode(input.vendor ?? "vendor", "vendor folder");
      const configuration: Configuration = {
        code,
        name: input.name.trim(),
        kind: input.kind as ConfigurationKind,
        vendor,
        programName: input.programName ?? null,
        packageFormat: validatePackageFormat(input.packageFormat ?? DEFAULT_PACKAGE_FORMAT),
      };
      if (!configuration.name) throw badRequest("invalid_name", "name must not be empty.");
      const exists = () => conflict("configuration_exists", `Configuration ${code} exists already.`);
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async ({ catalogue, audit }) => {
            if (await catalogue.configurationExists(code)) throw exists();
            await catalogue.insertConfiguration(configuration, clock.now().toISOString());
            await audit.record(clock.now(), {
              actorId,
              action: "configuration.create",
              subject: `configuration:${code}`,
              details: { ...configuration },
            });
          }),
        exists,
      );
      return configuration;
    },

    listConfigurations: (): Promise<Configuration[]> => catalogue.listConfigurations(),

    /** The update check asks this every second per configuration: the repository's query itself, unwrapped. */
    configurationRevision: catalogue.configurationRevision,
  };
}
