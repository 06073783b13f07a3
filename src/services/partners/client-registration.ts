import type { Kysely } from "kysely";
import type { RegisteredClient as RegisteredClientAnswer } from "../../contract/partners.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { PartnersRepository } from "../../db/repositories/partners.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import { conflict } from "../../domain/errors.ts";
import { checkOrganization, formProblem, type Organization } from "../../domain/organization.ts";
import { registrationNumberProblem } from "../../domain/pin.ts";
import { requirePartnerId } from "../../domain/roles.ts";
import { clientLetter, clientLetterSubject } from "../../mail/templates/partner-letter.ts";
import type { Mailer, MailResult } from "../../mail/transport.ts";
import { generatePassword, hashPassword } from "../../secrets/passwords.ts";
import type { User } from "../accounts.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";
import { numberForAuthorization, toAuthorizedProduct } from "./client-records.ts";

/** The contract's answer, with the mailer's own account of the letter. */
export type RegisteredClient = RegisteredClientAnswer & { mail: LetterMail };

/**
 * How the letter went out. The account is committed before the letter is mailed, so a mail
 * failure does not fail the request: the partner still gets the printable letter (the only copy
 * of the password) and is told that it was not mailed.
 */
export type LetterMail = MailResult | { readonly via: "failed"; readonly error: string };

const MAX_NUMBERS_PER_CLIENT = 100;

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

export interface ClientRegistrationDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  /** Where a letter that could not be mailed is reported. */
  readonly reportMailFailure: (message: string, error: unknown) => void;
  readonly numbers: Pick<RegistrationNumbersService, "requireNumber" | "authorizable">;
  /** The repository made over `db`. */
  readonly partners: PartnersRepository;
}

/** A partner registers a client without a PIN envelope, and the client gets its letter. */
export function createClientRegistration(deps: ClientRegistrationDeps) {
  const { db, clock, mailer, reportMailFailure, numbers: registrationNumbers, partners } = deps;

  /** Mails the letter; a failure is reported and answered as `via: "failed"`, never thrown. */
  async function mailLetter(to: string, userCode: string, letter: string): Promise<LetterMail> {
    try {
      return await mailer.send({
        to,
        subject: clientLetterSubject(userCode),
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

  return {
    /** A client without a PIN envelope: organisation + numbers -> user code (the first number), password, letter. */
    async registerClient(
      actor: User,
      input: { organization: unknown; registrationNumbers: unknown },
    ): Promise<RegisteredClient> {
      const partnerId = requirePartnerId(actor);
      const now = clock.now();
      const { organization, numbers } = validateClientForm(input, now.toISOString().slice(0, 10));
      const checked = [];
      for (const number of numbers) checked.push(await numberForAuthorization(registrationNumbers, number));
      const userCode = numbers[0]!;
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      const products = checked.map((c) => toAuthorizedProduct(c.row.number, c.product));
      const taken = () =>
        conflict("already_registered", `One of ${numbers.join(", ")} is registered on the site already.`, {
          registrationNumbers: numbers,
        });
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async (repos) => {
            const organizationId = await repos.organizations.insert(now, organization, partnerId);
            const user = await repos.users.insert(now, {
              login: userCode,
              passwordHash,
              role: "user",
              email: organization.email,
              displayName: organization.name,
              activeFrom: now,
              partnerId,
              organizationId,
            });
            await repos.holdings.authorize(now, { numbers, userId: user.id, method: "partner", partnerId });
            await repos.registrationNumbers.setMissingPurchaseDates(numbers, organization.purchaseDate);
            await repos.audit.record(now, {
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
        partner: (await partners.nameOf(partnerId)) ?? "your partner",
        organization,
        userCode,
        password,
        activeFrom,
        products,
      });
      const mail = await mailLetter(organization.email, userCode, letter);
      return { userCode, password, activeFrom, products, letter, mail };
    },
  };
}
