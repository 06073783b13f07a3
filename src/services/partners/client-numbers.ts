import type { AuthorizedProduct, NumberCheck } from "../../contract/partners.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import type { HoldingsRepository } from "../../db/repositories/holdings.ts";
import { repositories } from "../../db/repositories/index.ts";
import type { SubscriptionsRepository } from "../../db/repositories/subscriptions.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import type { Clock } from "../../domain/clock.ts";
import { authorizationSupportWarning } from "../../domain/partner-view.ts";
import {
  alreadyRegistered,
  registrationNumberNotFound,
  validateRegistrationNumber,
} from "../../domain/pin.ts";
import { requirePartnerId } from "../../domain/roles.ts";
import type { User } from "../accounts.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";
import {
  clientNotFound,
  coverageOf,
  findClient,
  numberForAuthorization,
  subscriptionsCovering,
  toAuthorizedProduct,
} from "./client-records.ts";

export interface ClientNumbersDeps {
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  readonly numbers: Pick<RegistrationNumbersService, "requireNumber" | "authorizable" | "unlock">;
  /** The repositories made over the database. */
  readonly users: UsersRepository;
  readonly holdings: HoldingsRepository;
  readonly subscriptions: SubscriptionsRepository;
}

/** A partner's work on its clients' numbers: authorising a new one, lifting a PIN lock. */
export function createClientNumbers(deps: ClientNumbersDeps) {
  const { clock, changes, numbers: registrationNumbers, users, holdings, subscriptions } = deps;

  async function isPartnersNumber(partnerId: string, number: string): Promise<boolean> {
    return (
      (await holdings.heldThroughPartner(partnerId, number)) ||
      (await subscriptions.soldBy(partnerId, number))
    );
  }

  /** The account and the number a partner means to authorise on it, or the reason it may not. */
  async function authorization(userCode: string, numberText: unknown) {
    const client = await findClient(users, userCode);
    if (!client) throw clientNotFound(userCode);
    const number = validateRegistrationNumber(numberText);
    const { row, product } = await numberForAuthorization(registrationNumbers, number);
    return { client, number, row, product };
  }

  return {
    /**
     * What authorising a number on a user code would do, before doing it: the number's product and
     * its support this month, with a warning for one that needs a subscription and has none. The
     * same refusals as `authorize` (no such user code or number, not registered with the vendor,
     * on the site already); nothing of the account is told.
     */
    async checkNumber(actor: User, userCode: string, numberText: unknown): Promise<NumberCheck> {
      requirePartnerId(actor);
      const { client, number, row, product } = await authorization(userCode, numberText);
      const covering = await subscriptionsCovering(subscriptions, [number]);
      const support = coverageOf(
        { registrationNumber: number, purchaseDate: row.purchase_date },
        product,
        covering,
        clock.now(),
      );
      return {
        userCode: client.login,
        ...toAuthorizedProduct(number, product),
        support,
        supportWarning: authorizationSupportWarning(support),
      };
    },

    /**
     * Authorises a newly bought number on the user code the client gives the selling partner,
     * whoever registered the account (this partner, another, or the user with a PIN). Support is
     * not checked: the partner sells the subscription and vouches for it (see checkNumber).
     */
    async authorize(actor: User, userCode: string, numberText: unknown): Promise<AuthorizedProduct> {
      const partnerId = requirePartnerId(actor);
      const { client, number, product } = await authorization(userCode, numberText);
      const now = clock.now();
      await conflictOnDuplicate(
        () =>
          changes.transaction(async (trx, changed) => {
            changed("holdings", client.id);
            const repos = repositories(trx);
            await repos.holdings.authorize(now, {
              numbers: [number],
              userId: client.id,
              method: "partner",
              partnerId,
            });
            await repos.audit.record(now, {
              actorId: actor.id,
              action: "partner.authorize",
              subject: `registration_number:${number}`,
              details: { partnerId, userCode: client.login, product: product.code },
            });
          }),
        () => alreadyRegistered(number),
      );
      return toAuthorizedProduct(number, product);
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
  };
}
