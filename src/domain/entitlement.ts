/**
 * Who may open a configuration's pages and who may download its updates. Every route asks
 * these functions; nothing else re-implements the rules.
 */
import type { Edition, ReleaseStatus } from "./catalogue.ts";
import { readableUtc } from "./dates.ts";
import { type AppError, forbidden } from "./errors.ts";
import { monthOf } from "./months.ts";
import { isStaff, type Role } from "./roles.ts";
import { type Subscription, type SupportStatus, supportStatus } from "./subscriptions.ts";

/** A registration number authorised on the viewer's account, with what its product includes. */
export interface AuthorizedNumber {
  registrationNumber: string;
  product: string;
  edition: Edition;
  configurations: readonly string[];
  purchaseDate: string | null;
  freeSupportMonths: number;
}

export interface Viewer {
  role: Role;
  activeFrom: string /* ISO timestamp */;
}

export interface Allowed {
  allowed: true;
  /** The registration numbers that grant access; empty for staff who hold none. */
  via: string[];
}

export interface NotRegistered {
  allowed: false;
  reason: "not_registered";
  configuration: string;
}

export interface NotActiveYet {
  allowed: false;
  reason: "not_active_yet";
  configuration: string;
  activeFrom: string;
}

export interface SupportSubscriptionRequired {
  allowed: false;
  reason: "support_subscription_required";
  configuration: string;
  month: string;
  registrationNumbers: string[];
}

export type ConfigurationAccess = Allowed | NotRegistered | NotActiveYet;
export type DownloadAccess = ConfigurationAccess | SupportSubscriptionRequired;
export type Denial = NotRegistered | NotActiveYet | SupportSubscriptionRequired;

export interface ConfigurationAccessInput {
  viewer: Viewer;
  numbers: readonly AuthorizedNumber[];
  configuration: string;
  now: Date;
}

export interface DownloadAccessInput extends ConfigurationAccessInput {
  subscriptions: readonly Subscription[];
}

function numbersIncluding(numbers: readonly AuthorizedNumber[], configuration: string): AuthorizedNumber[] {
  return numbers.filter((n) => n.configurations.includes(configuration));
}

export function configurationAccess(input: ConfigurationAccessInput): ConfigurationAccess {
  const { viewer, configuration, now } = input;
  const including = numbersIncluding(input.numbers, configuration);
  const via = including.map((n) => n.registrationNumber);
  if (isStaff(viewer.role)) return { allowed: true, via };
  const activeFrom = Date.parse(viewer.activeFrom);
  if (Number.isNaN(activeFrom)) throw new Error(`viewer.activeFrom is not a timestamp: ${viewer.activeFrom}`);
  if (now.getTime() < activeFrom) {
    return { allowed: false, reason: "not_active_yet", configuration, activeFrom: viewer.activeFrom };
  }
  if (including.length === 0) return { allowed: false, reason: "not_registered", configuration };
  return { allowed: true, via };
}

export function downloadAccess(input: DownloadAccessInput): DownloadAccess {
  const access = configurationAccess(input);
  if (!access.allowed || isStaff(input.viewer.role)) return access;
  const including = numbersIncluding(input.numbers, input.configuration);
  const entitled = including.filter((n) => isCoveredNow(n, input.subscriptions, input.now));
  if (entitled.length > 0) return { allowed: true, via: entitled.map((n) => n.registrationNumber) };
  return {
    allowed: false,
    reason: "support_subscription_required",
    configuration: input.configuration,
    month: monthOf(input.now),
    registrationNumbers: including.map((n) => n.registrationNumber),
  };
}

/**
 * Until when (epoch milliseconds) the answers of configurationAccess and downloadAccess stay the
 * same for the same viewer and holdings: the rules read the clock only through the viewer's
 * activation moment and calendar days (paid months and free periods start and end at UTC
 * midnight), so an answer may be reused until the next UTC midnight or the activation.
 */
export function accessStableUntil(viewer: Viewer, now: Date): number {
  const nextMidnight = new Date(now.getTime()).setUTCHours(24, 0, 0, 0);
  const activeFrom = Date.parse(viewer.activeFrom);
  return now.getTime() < activeFrom ? Math.min(activeFrom, nextMidnight) : nextMidnight;
}

/** The support status of one authorised number at `now`. */
export function supportOf(
  number: AuthorizedNumber,
  subscriptions: readonly Subscription[],
  now: Date,
): SupportStatus {
  return supportStatus({
    number: number.registrationNumber,
    edition: number.edition,
    purchaseDate: number.purchaseDate,
    freeSupportMonths: number.freeSupportMonths,
    subscriptions,
    now,
  });
}

const isCoveredNow = (number: AuthorizedNumber, subscriptions: readonly Subscription[], now: Date) =>
  supportOf(number, subscriptions, now).coveredThisMonth;

/** An account used before its activation: says when access opens, readable and as a timestamp. */
export function notActiveYetProblem(activeFrom: string): AppError {
  return forbidden(
    "not_active_yet",
    `This account becomes active at ${readableUtc(activeFrom)}; try again then.`,
    { activeFrom },
  );
}

/** What a denial's problem tells; a support denial outside any configuration (a PIN registration) names none. */
export type DenialFacts = Denial | Omit<SupportSubscriptionRequired, "configuration">;

/** The one builder of entitlement problems; `detail` replaces the default sentence where the context says more. */
export function entitlementProblem(denial: DenialFacts, detail?: string): AppError {
  switch (denial.reason) {
    case "not_registered":
      return forbidden(
        "not_registered",
        detail ??
          `${denial.configuration} is not in your registered products. Buy a product that includes it and register it to open its pages.`,
        {
          configuration: denial.configuration,
          offer: `Buy a product that includes ${denial.configuration} from a partner and register it with its registration number and PIN.`,
        },
      );
    case "not_active_yet":
      return notActiveYetProblem(denial.activeFrom);
    case "support_subscription_required":
      return forbidden(
        "support_subscription_required",
        detail ??
          `Updates of PROF editions need a support subscription for ${denial.month}; subscribe for the current month.`,
        { month: denial.month, registrationNumbers: denial.registrationNumbers },
      );
  }
}

/** A plan is answered with the download verdict only when the sole refusal is a missing subscription. */
export type PlanAccess = Allowed | SupportSubscriptionRequired;

/**
 * Which denial refuses the plan (403) and which is told in its body: a user who may not open the
 * configuration is refused; one who may but is not supported this month gets the plan and the reason.
 */
export function planAccess(access: DownloadAccess): PlanAccess {
  if (access.allowed || access.reason === "support_subscription_required") return access;
  throw entitlementProblem(access);
}

/** Drafts and withdrawn releases, and their files, exist for staff only: to others they are not there. */
export function releaseVisible(status: ReleaseStatus, role: Role): boolean {
  return status === "published" || isStaff(role);
}

export interface PinRegistrationInput {
  edition: Edition;
  number: string;
  subscriptions: readonly Subscription[];
  purchaseDate: string | null;
  freeSupportMonths: number;
  now: Date;
}

/** A PROF/CORP number registers with its PIN only while supported (paid this month, or free period running). */
export function canRegisterProfWithPin(input: PinRegistrationInput): boolean {
  return supportStatus(input).coveredThisMonth;
}
