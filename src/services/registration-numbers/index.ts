import type { Kysely } from "kysely";
import type { IssuedNumber, IssueRequest } from "../../contract/registration.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { repositories } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import type { ProductCatalogue } from "../catalogue/index.ts";
import { createIssuing } from "./issue.ts";
import { createNumberListing } from "./listing.ts";
import { createPinVerification } from "./pin-verification.ts";
import { createVendorRegistration } from "./vendor-registration.ts";

export type { IssuedNumber, IssueRequest };

export interface RegistrationNumbersDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  /** Server key under which PINs are stored as HMAC-SHA256. */
  readonly pinKey: Buffer;
  /** Where the products numbers are issued for are read. */
  readonly products: ProductCatalogue;
  /** The PIN comparison; tests wrap it to count how many PINs were compared. */
  readonly comparePins?: (expected: Buffer, actual: Buffer) => boolean;
}

/** Registration numbers: issuing them with PINs, their registration with the vendor, and PIN checks. */
export function createRegistrationNumbersService(deps: RegistrationNumbersDeps) {
  const { db, clock, changes, pinKey, products, comparePins } = deps;
  const { registrationNumbers, holdings } = repositories(db);
  const registration = createVendorRegistration({ clock, changes, products, registrationNumbers, holdings });
  return {
    ...registration,
    ...createPinVerification({
      db,
      clock,
      pinKey,
      registrationNumbers,
      requireNumber: registration.requireNumber,
      comparePins,
    }),
    ...createIssuing({ db, clock, pinKey, products }),
    ...createNumberListing({ clock, registrationNumbers }),
  };
}

export type RegistrationNumbersService = ReturnType<typeof createRegistrationNumbersService>;
