import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuthorizedProduct, RegisteredClient as RegisteredClientAnswer } from "../contract/partners.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { conflictOnDuplicate, isUniqueViolation } from "../db/errors.ts";
import { inTransaction, repositories } from "../db/repositories/index.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { badRequest, conflict, notFound } from "../domain/errors.ts";
import { checkOrganization, formProblem, type Organization } from "../domain/organization.ts";
import {
  alreadyRegistered,
  registrationNumberNotFound,
  registrationNumberProblem,
  validateRegistrationNumber,
} from "../domain/pin.ts";
import { requirePartnerId } from "../domain/roles.ts";
import { clientLetter } from "../mail/templates/partner-letter.ts";
import type { Mailer, MailResult } from "../mail/transport.ts";
import { generatePassword, hashPassword } from "../secrets/passwords.ts";
import type { User } from "./accounts.ts";
import { recordAudit } from "./audit.ts";
import type { Product, ProductCatalogue } from "./catalogue.ts";
import type { RegistrationNumbersService } from "./registration-numbers.ts";

export interface Partner {
  readonly id: string;
  readonly name: string;
}

export type { AuthorizedProduct };

/** The contract's answer, with the mailer's own account of the letter. */
export type RegisteredClient = RegisteredClientAnswer & { mail: LetterMail };

/**
 * How the letter went out. The account is committed before the letter is mailed, so a mail
 * failure does not fail the request: the partner still gets the printable letter (the only copy
 * of the password) and is told that it was not mailed.
 */
export type LetterMail = MailResult | { readonly via: "failed"; readonly error: string };

const MAX_NUMBERS_PER_CLIENT = 100;

const clientNotFound = (userCode: string) =>
  notFound("user_not_found", `There is no client with the user code ${userCode}.`, { userCode });

function toProduct(number: string, product: Product): AuthorizedProduct {
  return {
    registrationNumber: number,
    product: product.code,
    productName: product.name,
    edition: product.edition,
    configurations: product.configurations,
  };
}

/**
 * The organisation's details and the list of numbers, every problem of both in one
 * validation_failed `fields` list (a bad number is named by its index: registrationNumbers[2]).
 */
function validateClientForm(
  input: { organization: unknown; registrationNumbers: unknown },
  today: string,
): { organization: Organization; numbers: string[] } {
  const { organization, problems: fields } = checkOrganization(input.organization, today);
  const list = input.registrationNumbers;
  const numbers: string[] = [];
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_NUMBERS_PER_CLIENT) {
    fields.push({
      field: "registrationNumbers",
      message: `must list 1 to ${MAX_NUMBERS_PER_CLIENT} registration numbers`,
    });
  } else {
    list.forEach((value, index) => {
      const message = registrationNumberProblem(value);
      if (message) fields.push({ field: `registrationNumbers[${index}]`, message });
      else if (!numbers.includes((value as string).trim())) numbers.push((value as string).trim());
    });
  }
  if (fields.length > 0 || !organization) throw formProblem("The client's details are", fields);
  return { organization, numbers };
}

export type PartnersService = ReturnType<typeof createPartnersService>;

/** Partners (resellers): their accounts, the clients they register, and authorisations on clients' codes. */
export interface PartnersDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly changes: ChangeFeed;
  readonly numbers: RegistrationNumbersService;
  /** Where the products of clients' numbers are read. */
  readonly products: ProductCatalogue;
  /** Where a letter that could not be mailed is reported; a process warning by default. */
  readonly reportMailFailure?: (message: string, error: unknown) => void;
}

export function createPartnersService(deps: PartnersDeps) {
  const { db, clock, mailer, changes, numbers: registrationNumbers, products: catalogue } = deps;
  const repos = repositories(db);
  const reportMailFailure =
    deps.reportMailFailure ??
    ((message: string, error: unknown) => process.emitWarning(`${message}: ${error}`));

  /** Mails the letter; a failure is reported and answered as `via: "failed"`, never thrown. */
  async function mailLetter(to: string, userCode: string, letter: string): Promise<LetterMail> {
    try {
      return await mailer.send({
        to,
        subject: `Your user code ${userCode} for the user support site`,
        text: letter,
      });
    } catch (error) {
      reportMailFailure(`The letter for the client ${userCode} to ${to} was not mailed`, error);
      // The details (paths, server replies) stay in the log; the partner is told what to do.
      return {
        via: "failed",
        error: "The letter could not be mailed: print it and hand it to the client.",
      };
    }
  }

  const numberForAuthorization = async (number: string) =>
    registrationNumbers.authorizable(await registrationNumbers.requireNumber(number));

  /** A customer account by its user code. */
  async function findClient(userCode: string): Promise<User | undefined> {
    return (await repos.users.findByLogin(userCode, "user"))?.user;
  }

  async function partnerName(partnerId: string): Promise<string> {
    return (await repos.partners.nameOf(partnerId)) ?? "your partner";
  }

  async function productsOf(userId: string): Promise<AuthorizedProduct[]> {
    const rows = await repos.holdings.numbersOf(userId);
    // A client holds many numbers of few products: each product is read once.
    const products = new Map<string, Promise<Product>>();
    const product = (code: string) => {
      let read = products.get(code);
      if (!read) {
        read = catalogue.requireProduct(code);
        products.set(code, read);
      }
      return read;
    };
    return Promise.all(
      rows.map(async (row) => toProduct(row.registrationNumber, await product(row.productCode))),
    );
  }

  async function isPartnersNumber(partnerId: string, number: string): Promise<boolean> {
    return (
      (await repos.holdings.heldThroughPartner(partnerId, number)) ||
      (await repos.subscriptions.soldBy(partnerId, number))
    );
  }

  return {
    /** Finds a partner by name or creates it (the admin CLI's `user add --role partner --partner NAME`). */
    async ensurePartner(name: string, actorId: string | null): Promise<Partner & { created: boolean }> {
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > 200)
        throw badRequest("invalid_partner", "A partner's name has 1-200 characters.");
      const existing = await repos.partners.findByName(trimmed);
      if (existing) return { id: existing.id, name: existing.name, created: false };
      const id = randomUUID();
      const now = clock.now();
      try {
        await inTransaction(db, async (txRepos, trx) => {
          await txRepos.partners.insert({ id, name: trimmed }, now);
          await recordAudit(trx, now, {
            actorId,
            action: "partner.create",
            subject: `partner:${id}`,
            details: { name: trimmed },
          });
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const row = await repos.partners.findByName(trimmed);
        if (!row) throw error;
        return { id: row.id, name: row.name, created: false };
      }
      return { id, name: trimmed, created: true };
    },

    /** A client without a PIN envelope: organisation + numbers -> user code (the first number), password, letter. */
    async registerClient(
      actor: User,
      input: { organization: unknown; registrationNumbers: unknown },
    ): Promise<RegisteredClient> {
      const partnerId = requirePartnerId(actor);
      const now = clock.now();
      const { organization, numbers } = validateClientForm(input, now.toISOString().slice(0, 10));
      const checked = [];
      for (const number of numbers) checked.push(await numberForAuthorization(number));
      const userCode = numbers[0]!;
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      const products = checked.map((c) => toProduct(c.row.number, c.product));
      const taken = () =>
        conflict("already_registered", `One of ${numbers.join(", ")} is registered on the site already.`, {
          registrationNumbers: numbers,
        });
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async (txRepos, trx) => {
            const organizationId = await txRepos.organizations.insert(now, organization, partnerId);
            const user = await txRepos.users.insert(now, {
              login: userCode,
              passwordHash,
              role: "user",
              email: organization.email,
              displayName: organization.name,
              activeFrom: now,
              partnerId,
              organizationId,
            });
            await txRepos.holdings.authorize(now, { numbers, userId: user.id, method: "partner", partnerId });
            await txRepos.registrationNumbers.setMissingPurchaseDates(numbers, organization.purchaseDate);
            await recordAudit(trx, now, {
              actorId: actor.id,
              action: "partner.client.create",
              subject: `user:${user.id}`,
              details: { partnerId, userCode, organization: organization.name, registrationNumbers: numbers },
            });
          }),
        taken,
      );
      const activeFrom = now.toISOString();
      const letter = clientLetter({
        partner: await partnerName(partnerId),
        organization,
        userCode,
        password,
        activeFrom,
        products,
      });
      const mail = await mailLetter(organization.email, userCode, letter);
      return { userCode, password, activeFrom, products, letter, mail };
    },

    /**
     * Authorises a newly bought number on a client's user code: the partner's own client, or a
     * self-registered user who has no partner yet. Another partner's client is not found.
     */
    async authorize(actor: User, userCode: string, numberText: unknown): Promise<AuthorizedProduct> {
      const partnerId = requirePartnerId(actor);
      const client = await findClient(userCode);
      if (!client || (client.partnerId !== null && client.partnerId !== partnerId))
        throw clientNotFound(userCode);
      const number = validateRegistrationNumber(numberText);
      const { product } = await numberForAuthorization(number);
      const now = clock.now();
      await conflictOnDuplicate(
        () =>
          changes.transaction(async (trx, changed) => {
            changed("holdings", client.id);
            await repositories(trx).holdings.authorize(now, {
              numbers: [number],
              userId: client.id,
              method: "partner",
              partnerId,
            });
            await recordAudit(trx, now, {
              actorId: actor.id,
              action: "partner.authorize",
              subject: `registration_number:${number}`,
              details: { partnerId, userCode: client.login, product: product.code },
            });
          }),
        () => alreadyRegistered(number),
      );
      return toProduct(number, product);
    },

    /**
     * Lifts the PIN lock of a number of the partner's own: held by one of its clients, authorised
     * by it, or covered by a support subscription it sold. Any other number is not found.
     */
    async unlockNumber(actor: User, numberText: unknown) {
      const partnerId = requirePartnerId(actor);
      const number = validateRegistrationNumber(numberText);
      if (!(await isPartnersNumber(partnerId, number))) throw registrationNumberNotFound(number);
      return registrationNumbers.unlock(number, { id: actor.id, partnerId });
    },

    /** The partner's own clients. */
    async listClients(actor: User) {
      const partnerId = requirePartnerId(actor);
      return repos.partners.clientsOf(partnerId);
    },

    /** One of the partner's own clients with its products; anyone else's is not found. */
    async getClient(actor: User, userCode: string) {
      const partnerId = requirePartnerId(actor);
      const client = await findClient(userCode);
      if (!client || client.partnerId !== partnerId) throw clientNotFound(userCode);
      const organization = client.organizationId
        ? await repos.organizations.nameOf(client.organizationId)
        : undefined;
      return {
        userCode: client.login,
        organization: organization ?? null,
        email: client.email,
        products: await productsOf(client.id),
      };
    },
  };
}
