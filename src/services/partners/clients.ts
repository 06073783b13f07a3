import type { ClientDetail, ClientProduct } from "../../contract/partners.ts";
import type { AccountNumberRow, HoldingsRepository } from "../../db/repositories/holdings.ts";
import type { OrganizationsRepository } from "../../db/repositories/organizations.ts";
import type { PartnerAccountRow, PartnersRepository } from "../../db/repositories/partners.ts";
import type { SubscriptionsRepository } from "../../db/repositories/subscriptions.ts";
import type { UsersRepository } from "../../db/repositories/users.ts";
import type { Clock } from "../../domain/clock.ts";
import { monthOf } from "../../domain/months.ts";
import { partnerView } from "../../domain/partner-view.ts";
import { requirePartnerId } from "../../domain/roles.ts";
import type { User } from "../accounts.ts";
import type { ProductCatalogue } from "../catalogue/index.ts";
import {
  clientNotFound,
  coverageOf,
  findClient,
  inSlices,
  productReader,
  subscriptionsCovering,
  toAuthorizedProduct,
} from "./client-records.ts";

export interface ClientsDeps {
  readonly clock: Clock;
  /** Where the products of clients' numbers are read. */
  readonly products: ProductCatalogue;
  /** The repositories made over the database. */
  readonly users: UsersRepository;
  readonly partners: PartnersRepository;
  readonly organizations: OrganizationsRepository;
  readonly holdings: HoldingsRepository;
  readonly subscriptions: SubscriptionsRepository;
}

/** The printable letter of a client the partner registered (the password is given only once, at registration). */
export interface ClientLetter {
  readonly userCode: string;
  readonly organization: string | null;
  readonly partner: string;
  readonly products: ClientProduct[];
  /** The day the letter is printed, YYYY-MM-DD. */
  readonly date: string;
}

/** What a partner sees of the accounts it registered or authorised numbers on (src/domain/partner-view.ts). */
export function createClients(deps: ClientsDeps) {
  const { clock, products: catalogue, users, partners, organizations, holdings, subscriptions } = deps;

  /** Each account as the partner may see it, with its visible numbers' support this month. */
  async function viewsOf(partnerId: string, accounts: readonly PartnerAccountRow[]): Promise<ClientDetail[]> {
    const rows = await inSlices(
      accounts.map((a) => a.userId),
      (ids) => holdings.accountNumbers(ids),
    );
    const byAccount = new Map<string, AccountNumberRow[]>();
    for (const row of rows) byAccount.set(row.userId, [...(byAccount.get(row.userId) ?? []), row]);
    const visible = accounts.flatMap((account) => {
      const view = partnerView(partnerId, {
        registeredBy: account.registeredBy,
        numbers: byAccount.get(account.userId) ?? [],
      });
      return view ? [{ account, view }] : [];
    });
    // Only the numbers the partner may see are looked up: their coverage is all it is told.
    const numbers = visible.flatMap(({ view }) => view.numbers.map((n) => n.registrationNumber));
    const covering = await subscriptionsCovering(subscriptions, numbers);
    const product = productReader(catalogue);
    const now = clock.now();
    return Promise.all(
      visible.map(async ({ account, view }) => ({
        userCode: account.userCode,
        organization: view.organizationVisible ? account.organization : null,
        email: view.organizationVisible ? account.email : null,
        registeredByYou: view.relation === "registered",
        products: await Promise.all(
          view.numbers.map(async (n) => {
            const read = await product(n.productCode);
            return {
              ...toAuthorizedProduct(n.registrationNumber, read),
              support: coverageOf(n, read, covering, now),
            };
          }),
        ),
      })),
    );
  }

  /** One account by user code as the partner may see it; one it may see nothing of is not found. */
  async function clientView(partnerId: string, userCode: string): Promise<ClientDetail> {
    const client = await findClient(users, userCode);
    if (!client) throw clientNotFound(userCode);
    const organization = client.organizationId
      ? await organizations.nameOf(client.organizationId)
      : undefined;
    const [view] = await viewsOf(partnerId, [
      {
        userId: client.id,
        userCode: client.login,
        registeredBy: client.partnerId,
        organization: organization ?? null,
        email: client.email,
      },
    ]);
    if (!view) throw clientNotFound(userCode);
    return view;
  }

  return {
    /** The month a subscription recorded now starts in by default, YYYY-MM. */
    currentMonth(): string {
      return monthOf(clock.now());
    },

    /** The accounts the partner registered or authorised numbers on, each as it may see it. */
    async listClients(actor: User): Promise<ClientDetail[]> {
      const partnerId = requirePartnerId(actor);
      return viewsOf(partnerId, await partners.accountsOf(partnerId));
    },

    /** One account as the partner may see it; an account it has nothing to do with is not found. */
    async getClient(actor: User, userCode: string): Promise<ClientDetail> {
      return clientView(requirePartnerId(actor), userCode);
    },

    /** The letter of a client the partner registered; anyone else's is not found. */
    async clientLetter(actor: User, userCode: string): Promise<ClientLetter> {
      const partnerId = requirePartnerId(actor);
      const view = await clientView(partnerId, userCode);
      // The letter carries the organisation: only the partner that registered the account sees it.
      if (!view.registeredByYou) throw clientNotFound(userCode);
      return {
        userCode: view.userCode,
        organization: view.organization,
        partner: (await partners.nameOf(partnerId)) ?? "",
        products: view.products,
        date: clock.now().toISOString().slice(0, 10),
      };
    },
  };
}
