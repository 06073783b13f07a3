import type { AuthorizedProduct } from "../../contract/partners.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import type { HoldingsRepository } from "../../db/repositories/holdings.ts";
import { repositories } from "../../db/repositories/index.ts";
import type { SubscriptionsRepository } from "../../db/repositories/subscriptions.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import type { Clock } from "../../domain/clock.ts";
import {
  alreadyRegistered,
  registrationNumberNotFound,
  validateRegistrationNumber,
} from "../../domain/pin.ts";
import { requirePartnerId } from "../../domain/roles.ts";
import type { User } from "../accounts.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";
import { clientNotFound, findClient, numberForAuthorization, toAuthorizedProduct } from "./client-records.ts";

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

  return {
    /**
     * Authorises a newly bought number on a client's user code: the partner's own client, or a
     * self-registered user who has no partner yet. Another partner's client is not found.
     */
    async authorize(actor: User, userCode: string, numberText: unknown): Promise<AuthorizedProduct> {
      const partnerId = requirePartnerId(actor);
      const client = await findClient(users, userCode);
      if (!client || (client.partnerId !== null && client.partnerId !== partnerId))
        throw clientNotFound(userCode);
      const number = validateRegistrationNumber(numberText);
      const { product } = await numberForAuthorization(registrationNumbers, number);
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
