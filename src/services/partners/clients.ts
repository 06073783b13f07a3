import type { AuthorizedProduct } from "../../contract/partners.ts";
import type { HoldingsRepository } from "../../db/repositories/holdings.ts";
import type { OrganizationsRepository } from "../../db/repositories/organizations.ts";
import type { PartnersRepository } from "../../db/repositories/partners.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import { requirePartnerId } from "../../domain/roles.ts";
import type { User } from "../accounts.ts";
import type { Product, ProductCatalogue } from "../catalogue/index.ts";
import { clientNotFound, findClient, toAuthorizedProduct } from "./client-records.ts";

export interface ClientsDeps {
  /** Where the products of clients' numbers are read. */
  readonly products: ProductCatalogue;
  /** The repositories made over the database. */
  readonly users: UsersRepository;
  readonly partners: PartnersRepository;
  readonly organizations: OrganizationsRepository;
  readonly holdings: HoldingsRepository;
}

/** What a partner sees of its own clients. */
export function createClients(deps: ClientsDeps) {
  const { products: catalogue, users, partners, organizations, holdings } = deps;

  async function productsOf(userId: string): Promise<AuthorizedProduct[]> {
    const rows = await holdings.numbersOf(userId);
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
      rows.map(async (row) => toAuthorizedProduct(row.registrationNumber, await product(row.productCode))),
    );
  }

  return {
    /** The partner's own clients. */
    async listClients(actor: User) {
      const partnerId = requirePartnerId(actor);
      return partners.clientsOf(partnerId);
    },

    /** One of the partner's own clients with its products; anyone else's is not found. */
    async getClient(actor: User, userCode: string) {
      const partnerId = requirePartnerId(actor);
      const client = await findClient(users, userCode);
      if (!client || client.partnerId !== partnerId) throw clientNotFound(userCode);
      const organization = client.organizationId
        ? await organizations.nameOf(client.organizationId)
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
