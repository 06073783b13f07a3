import type { Kysely } from "kysely";
import type { Product } from "../../contract/catalogue.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import { type CatalogueRepository, catalogueRepository } from "../../db/repositories/catalogue.ts";
import { inTransaction, repositories } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import { EDITIONS, type Edition, validateCode } from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest, conflict, notFound, unprocessable } from "../../domain/errors.ts";

export interface ProductsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** A product's edit changes what its holders may see: their cached holdings are dropped on every node. */
  readonly changes: ChangeFeed;
}

function validateFreeSupportMonths(months: unknown): number {
  if (!Number.isInteger(months) || (months as number) < 0 || (months as number) > 120) {
    throw badRequest("invalid_free_support_months", "freeSupportMonths is a whole number from 0 to 120.", {
      field: "freeSupportMonths",
    });
  }
  return months as number;
}

function validateProductName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest("invalid_name", "name must not be empty.", { field: "name" });
  return trimmed;
}

async function assertConfigurationsExist(catalogue: CatalogueRepository, configurations: string[]) {
  const known = await catalogue.existingConfigurationCodes(configurations);
  const missing = configurations.filter((c) => !known.includes(c));
  if (missing.length > 0) {
    throw unprocessable("configuration_not_found", `Unknown configurations: ${missing.join(", ")}.`, {
      missing,
    });
  }
}

/** Products: what is sold, an edition of one or more configurations. */
export function createProducts(deps: ProductsDeps) {
  const { db, clock, changes } = deps;
  const products = catalogueRepository(db);
  return {
    listProducts: (): Promise<Product[]> => products.listProducts(),

    /**
     * Changes a product's name, free support months or configurations (the edition is fixed:
     * another edition is another product). Audited with what changed; the holders' cached
     * entitlements are dropped with the commit.
     */
    async updateProduct(
      code: string,
      input: { name?: string; freeSupportMonths?: number; configurations?: string[] },
      actorId: string | null,
    ): Promise<Product> {
      return changes.transaction(async (trx, changed) => {
        const { catalogue, holdings, audit } = repositories(trx);
        const current = await catalogue.findProduct(code);
        if (!current) throw notFound("product_not_found", `There is no product ${code}.`, { product: code });
        const name = input.name === undefined ? current.name : validateProductName(input.name);
        const freeSupportMonths =
          input.freeSupportMonths === undefined
            ? current.freeSupportMonths
            : validateFreeSupportMonths(input.freeSupportMonths);
        const configurations =
          input.configurations === undefined
            ? current.configurations
            : [...new Set(input.configurations)].sort();
        if (configurations.length === 0) {
          throw badRequest("invalid_configurations", "A product includes at least one configuration.", {
            field: "configurations",
          });
        }
        const product: Product = { ...current, name, freeSupportMonths, configurations };
        const changedFields = (["name", "freeSupportMonths", "configurations"] as const).filter(
          (field) => JSON.stringify(product[field]) !== JSON.stringify(current[field]),
        );
        if (changedFields.length === 0) return product;
        await assertConfigurationsExist(catalogue, configurations);
        await catalogue.updateProduct(product);
        if (changedFields.some((field) => field !== "name")) {
          for (const holder of await holdings.holdersOfProduct(code)) changed("holdings", holder);
        }
        await audit.record(clock.now(), {
          actorId,
          action: "product.update",
          subject: `product:${code}`,
          details: Object.fromEntries(changedFields.map((field) => [field, product[field]])),
        });
        return product;
      });
    },

    async createProduct(
      input: {
        code: string;
        name: string;
        edition: string;
        configurations: string[];
        freeSupportMonths?: number;
      },
      actorId: string | null,
    ): Promise<Product> {
      const code = validateCode(input.code, "product code");
      if (!(EDITIONS as readonly string[]).includes(input.edition)) {
        throw badRequest("invalid_edition", `edition is one of ${EDITIONS.join(", ")}.`);
      }
      const months = validateFreeSupportMonths(input.freeSupportMonths ?? 0);
      const configurations = [...new Set(input.configurations)];
      if (configurations.length === 0) {
        throw badRequest("invalid_configurations", "A product includes at least one configuration.");
      }
      const product: Product = {
        code,
        name: input.name.trim(),
        edition: input.edition as Edition,
        freeSupportMonths: months,
        configurations,
      };
      const exists = () => conflict("product_exists", `Product ${code} exists already.`);
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async ({ catalogue, audit }) => {
            if (await catalogue.productExists(code)) throw exists();
            await assertConfigurationsExist(catalogue, configurations);
            await catalogue.insertProduct(product, clock.now().toISOString());
            await audit.record(clock.now(), {
              actorId,
              action: "product.create",
              subject: `product:${code}`,
              details: { ...product },
            });
          }),
        exists,
      );
      return product;
    },
  };
}
