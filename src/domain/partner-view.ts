/**
 * What a partner may see of a customer account. The partner that registered the account is its
 * partner: it sees the organisation and every product the account holds (it serves the client's
 * support and may lift the PIN lock of any of its numbers). A partner that only authorised later
 * purchases on the user code the client gave it sees the code and the numbers it authorised
 * itself, never the rest (other products, the organisation, other partners' work). Any other
 * partner sees nothing: to it the account is not there. The printable letter (user code,
 * products) is the registering partner's only.
 */

/** One number on the account and the partner that authorised it (null: the user's own PIN). */
export interface AccountNumber {
  readonly registrationNumber: string;
  readonly authorizedBy: string | null;
}

export interface AccountFacts<N extends AccountNumber> {
  /** The partner that registered the account; null for a self-registered one. */
  readonly registeredBy: string | null;
  readonly numbers: readonly N[];
}

export type PartnerRelation = "registered" | "authorized";

export interface PartnerView<N extends AccountNumber> {
  readonly relation: PartnerRelation;
  /** The organisation's details (name, e-mail) are the registering partner's to see. */
  readonly organizationVisible: boolean;
  readonly numbers: N[];
}

/** The part of the account this partner may see, or null when it may see none of it. */
export function partnerView<N extends AccountNumber>(
  partnerId: string,
  account: AccountFacts<N>,
): PartnerView<N> | null {
  if (account.registeredBy === partnerId) {
    return { relation: "registered", organizationVisible: true, numbers: [...account.numbers] };
  }
  const own = account.numbers.filter((n) => n.authorizedBy === partnerId);
  if (own.length === 0) return null;
  return { relation: "authorized", organizationVisible: false, numbers: own };
}

/**
 * The partner path does not check support (the partner sells the subscription and vouches for
 * it), but warns before authorising a number that needs one and has none this month.
 */
export function authorizationSupportWarning(support: {
  readonly needed: boolean;
  readonly coveredThisMonth: boolean;
}): boolean {
  return support.needed && !support.coveredThisMonth;
}
