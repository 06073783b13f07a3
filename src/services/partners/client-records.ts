import type { AuthorizedProduct } from "../../contract/partners.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import { notFound } from "../../domain/errors.ts";
import type { User } from "../accounts.ts";
import type { Product } from "../catalogue/index.ts";
import type { RegistrationNumbersService } from "../registration-numbers/index.ts";

export const clientNotFound = (userCode: string) =>
  notFound("user_not_found", `There is no client with the user code ${userCode}.`, { userCode });

/** A customer account by its user code. */
export async function findClient(users: UsersRepository, userCode: string): Promise<User | undefined> {
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
