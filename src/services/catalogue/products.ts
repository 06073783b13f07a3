import type { Kysely } from "kysely";
import type { Product } from "../../contract/catalogue.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import { EDITIONS, type Edition, validateCode } from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest, conflict, unprocessable } from "../../domain/errors.ts";

export interface ProductsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
}

/** Products: what is sold, an edition of one or more configurations. */
export function createProducts(deps: ProductsDeps) {
  const { db, clock } = deps;
  return {
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
      const months = input.freeSupportMonths ?? 0;
      if (!Number.isInteger(months) || months < 0 || months > 120) {
        throw badRequest("invalid_free_support_months", "freeSupportMonths is a whole number from 0 to 120.");
      }
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
            const known = await catalogue.existingConfigurationCodes(configurations);
            const missing = configurations.filter((c) => !known.includes(c));
            if (missing.length > 0) {
              throw unprocessable(
                "configuration_not_found",
                `Unknown configurations: ${missing.join(", ")}.`,
                {
                  missing,
                },
              );
            }
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
