import type { Kysely } from "kysely";
import type { AuthorizedProduct } from "../../contract/partners.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { repositories } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import type { Mailer } from "../../mail/transport.ts";
import type { AccountsService } from "../accounts.ts";
import type { ProductCatalogue } from "../catalogue/index.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";
import { createClientNumbers } from "./client-numbers.ts";
import { createClientRegistration } from "./client-registration.ts";
import { createClients } from "./clients.ts";
import { createPartnerAccounts } from "./partner-accounts.ts";

export type { LetterMail, RegisteredClient } from "./client-registration.ts";
export type { ClientLetter } from "./clients.ts";
export type { Partner } from "./partner-accounts.ts";
export type { AuthorizedProduct };

/** Partners (resellers): their accounts, the clients they register, and authorisations on clients' codes. */
export interface PartnersDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly changes: ChangeFeed;
  readonly numbers: RegistrationNumbersService;
  /** Where the products of clients' numbers are read. */
  readonly products: ProductCatalogue;
  /** Where partners' own logins are made. */
  readonly accounts: Pick<AccountsService, "createUser">;
  /** Where a letter that could not be mailed is reported; a process warning by default. */
  readonly reportMailFailure?: (message: string, error: unknown) => void;
}

export function createPartnersService(deps: PartnersDeps) {
  const { db, clock, mailer, changes, numbers, products, accounts } = deps;
  const { users, partners, organizations, holdings, subscriptions } = repositories(db);
  const reportMailFailure =
    deps.reportMailFailure ??
    ((message: string, error: unknown) => process.emitWarning(`${message}: ${error}`));
  return {
    ...createPartnerAccounts({ db, clock, partners, createUser: accounts.createUser }),
    ...createClientRegistration({ db, clock, mailer, reportMailFailure, numbers, partners }),
    ...createClientNumbers({ clock, changes, numbers, users, holdings, subscriptions }),
    ...createClients({ clock, products, users, partners, organizations, holdings, subscriptions }),
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
