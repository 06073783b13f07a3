import type { AuthorizedProduct, SupportCoverage } from "../../contract/partners.ts";
import type { SubscriptionsRepository } from "../../db/repositories/subscriptions.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import { notFound } from "../../domain/errors.ts";
import { type Subscription, supportStatus } from "../../domain/subscriptions.ts";
import { controlCharacterProblem } from "../../domain/text.ts";
import type { User } from "../accounts.ts";
import type { Product } from "../catalogue/index.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";

export const clientNotFound = (userCode: string) =>
  notFound("user_not_found", `There is no client with the user code ${userCode}.`, { userCode });

/** Logins are single lines of at most 64 characters: anything else names no account (and reaches no query). */
const MAX_USER_CODE = 64;

/** A customer account by its user code. */
export async function findClient(users: UsersRepository, userCode: string): Promise<User | undefined> {
  if (
    typeof userCode !== "string" ||
    userCode.length > MAX_USER_CODE ||
    controlCharacterProblem(userCode, "line") !== null
  )
    return undefined;
  return (await users.findByLogin(userCode, "user"))?.user;
}

/** A number a partner may put on a client's account, with its product (see RegistrationNumbersService.authorizable). */
export async function numberForAuthorization(
  numbers: Pick<RegistrationNumbersService, "requireNumber" | "authorizable">,
  number: string,
) {
  return numbers.authorizable(await numbers.requireNumber(number));
}

export function toAuthorizedProduct(number: string, product: Product): AuthorizedProduct {
  return {
    registrationNumber: number,
    product: product.code,
    productName: product.name,
    edition: product.edition,
    configurations: product.configurations,
  };
}

/** Look-ups with many numbers or accounts run in slices, under every database's parameter limit. */
const SLICE = 500;

export async function inSlices<T, R>(items: readonly T[], read: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += SLICE) results.push(...(await read(items.slice(i, i + SLICE))));
  return results;
}

/** The subscriptions naming any of the numbers, each once. */
export async function subscriptionsCovering(
  subscriptions: SubscriptionsRepository,
  numbers: readonly string[],
): Promise<Subscription[]> {
  const found = await inSlices(numbers, (slice) => subscriptions.covering(slice));
  return [...new Map(found.map((s) => [s.id, s])).values()];
}

/** A number's support this month: its subscriptions, and the free period from its purchase date. */
export function coverageOf(
  number: { registrationNumber: string; purchaseDate: string | null },
  product: Product,
  subscriptions: readonly Subscription[],
  now: Date,
): SupportCoverage {
  const status = supportStatus({
    number: number.registrationNumber,
    edition: product.edition,
    purchaseDate: number.purchaseDate,
    freeSupportMonths: product.freeSupportMonths,
    subscriptions,
    now,
  });
  return { coveredThisMonth: status.coveredThisMonth, until: status.until, needed: status.needed };
}

/** Reads each product once: a partner's clients hold many numbers of few products. */
export function productReader(catalogue: { requireProduct(code: string): Promise<Product> }) {
  const products = new Map<string, Promise<Product>>();
  return (code: string) => {
    let read = products.get(code);
    if (!read) {
      read = catalogue.requireProduct(code);
      products.set(code, read);
    }
    return read;
  };
}
