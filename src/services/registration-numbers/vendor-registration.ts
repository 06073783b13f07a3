import type { ChangeFeed } from "../../db/change-feed.ts";
import type { HoldingsRepository } from "../../db/repositories/holdings.ts";
import { repositories } from "../../db/repositories/index.ts";
import type {
  RegistrationNumberRow,
  RegistrationNumbersRepository,
} from "../../db/repositories/registration-numbers.ts";
import type { Clock } from "../../domain/clock.ts";
import { forbidden } from "../../domain/errors.ts";
import { type Organization, validateOrganization } from "../../domain/organization.ts";
import {
  alreadyRegistered,
  registrationNumberNotFound,
  validateRegistrationNumber,
} from "../../domain/pin.ts";
import type { Product, ProductCatalogue } from "../catalogue/index.ts";

const notVendorRegistered = (number: string) =>
  forbidden(
    "not_vendor_registered",
    `The registration number ${number} is not registered with the vendor yet: send the registration card first (or ask your partner).`,
    { registrationNumber: number },
  );

export interface VendorRegistrationDeps {
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  /** Where the products of numbers are read. */
  readonly products: ProductCatalogue;
  /** The repositories made over `db`. */
  readonly registrationNumbers: RegistrationNumbersRepository;
  readonly holdings: HoldingsRepository;
}

/** A number's registration with the vendor: its registration card, and whether it may join an account. */
export function createVendorRegistration(deps: VendorRegistrationDeps) {
  const { clock, changes, products, registrationNumbers, holdings } = deps;

  async function requireNumber(number: string): Promise<RegistrationNumberRow> {
    const row = await registrationNumbers.find(number);
    if (!row) throw registrationNumberNotFound(number);
    return row;
  }

  return {
    requireNumber,

    /** A number that may join an account: registered with the vendor, on no account yet; with its product. */
    async authorizable(
      row: RegistrationNumberRow,
    ): Promise<{ row: RegistrationNumberRow; product: Product }> {
      if (!row.vendor_registered_at) throw notVendorRegistered(row.number);
      if (await holdings.isAuthorized(row.number)) throw alreadyRegistered(row.number);
      return { row, product: await products.requireProduct(row.product_code) };
    },

    /** Records the registration card the customer sent: the number is then registered with the vendor. */
    async recordCard(numberText: unknown, organizationInput: unknown, actorId: string | null) {
      const number = validateRegistrationNumber(numberText);
      const now = clock.now();
      const organization: Organization = validateOrganization(
        organizationInput,
        now.toISOString().slice(0, 10),
      );
      const row = await requireNumber(number);
      const vendorRegisteredAt = row.vendor_registered_at ?? now.toISOString();
      await changes.transaction(async (trx, changed) => {
        const repos = repositories(trx);
        // The purchase date starts the free support period of whoever holds the number.
        for (const holder of await repos.holdings.holdersOf([number])) changed("holdings", holder);
        await repos.registrationNumbers.recordCard(number, {
          vendorRegisteredAt,
          card: JSON.stringify(organization),
          purchaseDate: organization.purchaseDate,
        });
        await repos.audit.record(now, {
          actorId,
          action: "registration_number.card",
          subject: `registration_number:${number}`,
          details: { organization: organization.name, purchaseDate: organization.purchaseDate },
        });
      });
      return {
        registrationNumber: number,
        product: row.product_code,
        vendorRegisteredAt,
        purchaseDate: organization.purchaseDate,
      };
    },
  };
}
