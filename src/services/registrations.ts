import type { Kysely } from "kysely";
import type { MyProduct } from "../contract/registration.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { conflictOnDuplicate } from "../db/errors.ts";
import { inTransaction, type Repositories, repositories } from "../db/repositories/index.ts";
import type { RegistrationNumberRow } from "../db/repositories/registration-numbers.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { validateLogin, validatePassword } from "../domain/credentials.ts";
import { addMinutes } from "../domain/dates.ts";
import { canRegisterProfWithPin, entitlementProblem, supportOf } from "../domain/entitlement.ts";
import { forbidden } from "../domain/errors.ts";
import { monthOf } from "../domain/months.ts";
import {
  checkOrganization,
  emailProblem,
  formProblem,
  ORGANIZATION_FIELDS,
  type Organization,
} from "../domain/organization.ts";
import { alreadyRegistered, registrationNumberProblem, validateRegistrationNumber } from "../domain/pin.ts";
import { generatePassword, hashPassword } from "../secrets/passwords.ts";
import type { AccountsService, User } from "./accounts.ts";
import type { Product } from "./catalogue/index.ts";
import type { EntitlementsService } from "./entitlements.ts";
import type { RegistrationNumbersService } from "./registration-numbers/index.ts";

export type { MyProduct };

/**
 * The organisation's details and the registration number's shape, every problem of both in one
 * validation_failed `fields` list. The organisation's purchase date stays in its details only.
 */
function validateRegistrationForm(
  input: { registrationNumber: unknown; organization: unknown },
  today: string,
): Organization {
  const { organization, problems } = checkOrganization(input.organization, today);
  const numberProblem = registrationNumberProblem(input.registrationNumber);
  if (numberProblem) problems.unshift({ field: "registrationNumber", message: numberProblem });
  if (problems.length > 0 || !organization) throw formProblem("The registration form is", problems);
  return organization;
}

export type RegistrationsService = ReturnType<typeof createRegistrationsService>;

/** Self-registration with a PIN, accounts made first, and the account's product table. */
export interface RegistrationsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly activationDelayMinutes: number;
  readonly changes: ChangeFeed;
  readonly accounts: AccountsService;
  readonly numbers: RegistrationNumbersService;
  readonly entitlements: EntitlementsService;
}

export function createRegistrationsService(deps: RegistrationsDeps) {
  const { db, clock, changes, accounts, numbers, entitlements } = deps;
  const { holdings, organizations } = repositories(db);

  /** The PROF rule: a PROF/CORP number registers with its PIN only while covered this month. */
  async function assertProfRule(row: RegistrationNumberRow, product: Product, purchaseDate: string | null) {
    if (product.edition === "basic") return;
    const now = clock.now();
    const subscriptions = await entitlements.subscriptionsCovering([row.number]);
    const allowed = canRegisterProfWithPin({
      edition: product.edition,
      number: row.number,
      subscriptions,
      purchaseDate,
      freeSupportMonths: product.freeSupportMonths,
      now,
    });
    if (!allowed) {
      const month = monthOf(now);
      throw entitlementProblem(
        { allowed: false, reason: "support_subscription_required", month, registrationNumbers: [row.number] },
        `The ${product.edition.toUpperCase()} product ${row.number} registers with its PIN only with a support subscription for ${month}: subscribe it, or list it as an additional number of a subscription.`,
      );
    }
  }

  /**
   * Everything a PIN registration checks before writing, cheapest and least revealing first. The
   * PROF rule reads only the purchase date the vendor knows (registration card or issue): the date
   * a user types in the form proves nothing and never starts free support months.
   */
  async function checkPinRegistration(numberText: unknown, pin: unknown, address: string) {
    const number = validateRegistrationNumber(numberText);
    const { row, product } = await numbers.authorizable(await numbers.verifyPin(number, pin, address));
    await assertProfRule(row, product, row.purchase_date);
    return { number, row, product };
  }

  /** The number joins the account (a second claim fails on its primary key), its PIN count resets, audited. */
  async function authorizeWithPin(
    repos: Repositories,
    now: Date,
    number: string,
    user: { id: string },
    action: string,
    details: Record<string, unknown>,
  ) {
    await repos.holdings.authorize(now, {
      numbers: [number],
      userId: user.id,
      method: "pin",
      partnerId: null,
    });
    await repos.registrationNumbers.clearPinFailures(number);
    await repos.audit.record(now, {
      actorId: user.id,
      action,
      subject: `registration_number:${number}`,
      details,
    });
  }

  return {
    /**
     * First-time self-registration: the user code is the registration number; access starts after
     * the delay. `address` is the client's, which wrong PINs are counted against.
     */
    async register(
      input: { registrationNumber: unknown; pin: unknown; organization: unknown },
      address: string,
    ) {
      const now = clock.now();
      // The form is checked first, so a typo in it costs no PIN attempt; the number's problem is
      // listed with the organisation's fields in one validation_failed.
      const organization = validateRegistrationForm(input, now.toISOString().slice(0, 10));
      const { number } = await checkPinRegistration(input.registrationNumber, input.pin, address);
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      const activeFrom = addMinutes(now, deps.activationDelayMinutes);
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async (repos) => {
            const organizationId = await repos.organizations.insert(now, organization, null);
            const user = await repos.users.insert(now, {
              login: number,
              passwordHash,
              role: "user",
              email: organization.email,
              displayName: organization.name,
              activeFrom,
              partnerId: null,
              organizationId,
            });
            await authorizeWithPin(repos, now, number, user, "registration.self", {
              userCode: number,
              organization: organization.name,
            });
          }),
        () => alreadyRegistered(number),
      );
      return { userCode: number, password, activeFrom: activeFrom.toISOString() };
    },

    /** Account first: a login with a password and e-mail, products added later with their PINs. */
    async createAccount(input: { login: unknown; password: unknown; email: unknown }) {
      const problem = emailProblem(input.email);
      if (problem) throw formProblem("The account is", [{ field: "email", message: problem }]);
      return accounts.createUser({
        login: validateLogin(input.login),
        password: validatePassword(input.password),
        role: "user",
        email: (input.email as string).trim(),
      });
    },

    /** "Register software product" on the account's products page: number + PIN. */
    async addProduct(user: User, input: { registrationNumber: unknown; pin: unknown }, address: string) {
      if (user.role !== "user") {
        throw forbidden("forbidden", "Only customer accounts register products with a PIN.");
      }
      const { number, product } = await checkPinRegistration(input.registrationNumber, input.pin, address);
      const now = clock.now();
      await conflictOnDuplicate(
        () =>
          changes.transaction(async (trx, changed) => {
            await authorizeWithPin(repositories(trx), now, number, user, "registration.add_product", {
              userCode: user.login,
              product: product.code,
            });
            changed("holdings", user.id);
          }),
        () => alreadyRegistered(number),
      );
      return (await this.myProducts(user)).find((p) => p.registrationNumber === number)!;
    },

    /** The account's product table with each number's support status this month and how it joined. */
    async myProducts(user: User): Promise<MyProduct[]> {
      const { numbers: held, subscriptions } = await entitlements.holdings(user);
      if (held.length === 0) return [];
      const joined = new Map(
        (await holdings.authorizationsOf(user.id)).map((a) => [a.registrationNumber, a] as const),
      );
      const now = clock.now();
      return held.map((n) => {
        const status = supportOf(n, subscriptions, now);
        const how = joined.get(n.registrationNumber);
        const byPartner = how?.method === "partner";
        return {
          registrationNumber: n.registrationNumber,
          product: n.product,
          edition: n.edition,
          configurations: [...n.configurations],
          support: { coveredThisMonth: status.coveredThisMonth, until: status.until },
          registeredBy: byPartner ? "partner" : "pin",
          registeredByPartner: byPartner ? (how?.partnerName ?? null) : null,
        };
      });
    },

    /** The organisation the account was registered for, as its form recorded it; null for a login made first. */
    async myOrganization(user: User): Promise<Organization | null> {
      if (!user.organizationId) return null;
      const details = await organizations.detailsOf(user.organizationId);
      if (!details) return null;
      const stored = JSON.parse(details) as Record<string, unknown>;
      return Object.fromEntries(
        ORGANIZATION_FIELDS.map((field) => [
          field,
          field === "workstations" ? Number(stored[field] ?? 0) : String(stored[field] ?? ""),
        ]),
      ) as unknown as Organization;
    },
  };
}
