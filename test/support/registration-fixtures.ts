import type { User } from "../../src/services/accounts.ts";
import { createConfiguration } from "./catalogue-fixtures.ts";
import { type DialectName, startTestApp, type TestApp } from "./harness.ts";

/** Rate limits no test file meets, though all its requests come from one address. */
export const HIGH_RATE_LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

export interface PartnerLogin {
  token: string;
  user: { id: string };
}

/** An app with the registration catalogue and two partner firms, Alpha and Beta, each with an account. */
export async function startRegistrationApp(
  dialect: DialectName,
): Promise<{ t: TestApp; alpha: PartnerLogin; beta: PartnerLogin }> {
  const t = await startTestApp(dialect, HIGH_RATE_LIMITS);
  try {
    await registrationCatalogue(t);
    const alpha = await partnerAccount(t, "Partner Alpha");
    const beta = await partnerAccount(t, "Partner Beta");
    return { t, alpha, beta };
  } catch (error) {
    await t.close();
    throw error;
  }
}

export function auditActions(t: TestApp, action: string) {
  return t.upkeep.database.db.selectFrom("audit_log").selectAll().where("action", "=", action).execute();
}

/** A complete registration form; purchaseDate defaults to the test clock's day. */
export function organization(t: TestApp, overrides: Record<string, unknown> = {}) {
  return {
    name: "Romashka LLC",
    activity: "Wholesale of flowers",
    postalCode: "101000",
    address: "1 Garden Street, Moscow",
    head: "I. Ivanov",
    responsiblePerson: "P. Petrova",
    phone: "+7 495 123-45-67",
    email: "office@romashka.example",
    purchasedFrom: "Partner Alpha",
    purchaseDate: t.clock.now().toISOString().slice(0, 10),
    workstations: 5,
    ...overrides,
  };
}

export async function createProduct(
  t: TestApp,
  code: string,
  edition: "basic" | "prof" | "corp",
  configurations: string[],
  freeSupportMonths = 0,
) {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/admin/products",
    token: t.adminToken,
    body: { code, name: `Product ${code}`, edition, configurations, freeSupportMonths },
  });
  if (response.statusCode !== 201) throw new Error(`product: ${response.statusCode} ${response.body}`);
}

/**
 * The catalogue the registration tests use: ACC in a basic product, ENT in PROF products with
 * no free months and with 6 free months, and HR in a CORP product.
 */
export async function registrationCatalogue(t: TestApp) {
  await createConfiguration(t, "ACC");
  await createConfiguration(t, "ENT");
  await createConfiguration(t, "HR");
  await createProduct(t, "ACC-BASIC", "basic", ["ACC"]);
  await createProduct(t, "ENT-PROF", "prof", ["ENT"]);
  await createProduct(t, "ENT-PROF6", "prof", ["ENT"], 6);
  await createProduct(t, "HR-CORP", "corp", ["HR"]);
}

export interface Issued {
  registrationNumber: string;
  pin?: string;
}

export async function issue(
  t: TestApp,
  product: string,
  count: number,
  options: { pin?: boolean; vendorRegistered?: boolean; purchaseDate?: string } = {},
): Promise<Issued[]> {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/admin/registration-numbers",
    token: t.adminToken,
    body: {
      product,
      count,
      pin: options.pin ?? true,
      vendorRegistered: options.vendorRegistered ?? false,
      ...(options.purchaseDate ? { purchaseDate: options.purchaseDate } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`issue: ${response.statusCode} ${response.body}`);
  return response.json().items;
}

/** Issues one number registered with the vendor (by a recorded card, or at issue for electronic deliveries). */
export async function issueRegistered(
  t: TestApp,
  product: string,
  options: { pin?: boolean; purchaseDate?: string } = {},
): Promise<Issued> {
  const [item] = await issue(t, product, 1, { pin: options.pin ?? true });
  await recordCard(t, item!.registrationNumber, options.purchaseDate);
  return item!;
}

export async function recordCard(t: TestApp, number: string, purchaseDate?: string) {
  const response = await t.request({
    method: "POST",
    url: `/api/v1/admin/registration-numbers/${number}/card`,
    token: t.adminToken,
    body: { organization: organization(t, purchaseDate ? { purchaseDate } : {}) },
  });
  if (response.statusCode !== 200) throw new Error(`card: ${response.statusCode} ${response.body}`);
}

export function register(
  t: TestApp,
  registrationNumber: string,
  pin: string,
  overrides: Record<string, unknown> = {},
) {
  return t.request({
    method: "POST",
    url: "/api/v1/registrations",
    body: { registrationNumber, pin, organization: organization(t, overrides) },
  });
}

/** "Register software product" on a signed-in account's products page. */
export function addProduct(t: TestApp, token: string, registrationNumber: string, pin: string) {
  return t.request({
    method: "POST",
    url: "/api/v1/me/products",
    token,
    body: { registrationNumber, pin },
  });
}

export function signIn(t: TestApp, login: string, password: string) {
  return t.request({ method: "POST", url: "/api/v1/auth/token", body: { login, password } });
}

export async function tokenFor(t: TestApp, login: string, password: string): Promise<string> {
  const response = await signIn(t, login, password);
  if (response.statusCode !== 201) throw new Error(`sign-in: ${response.statusCode} ${response.body}`);
  return response.json().token;
}

let partnerCounter = 0;

/** A partner account linked to a partner firm (created if missing), with a token. */
export async function partnerAccount(
  t: TestApp,
  partnerName: string,
): Promise<{ user: User; token: string }> {
  const partner = await t.upkeep.services.partners.ensurePartner(partnerName, t.admin.id);
  const user = await t.upkeep.services.accounts.createUser({
    login: `partner-${++partnerCounter}-${partnerName.replace(/\W/g, "")}`,
    password: "partner-password-1",
    role: "partner",
    partnerId: partner.id,
  });
  return { user, token: (await t.upkeep.services.accounts.issueToken(user)).token };
}

export async function subscribe(
  t: TestApp,
  token: string,
  registrationNumber: string,
  fromMonth: string,
  months: number,
  additionalNumbers: string[] = [],
) {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/partner/subscriptions",
    token,
    body: { registrationNumber, fromMonth, months, additionalNumbers },
  });
  if (response.statusCode !== 201) throw new Error(`subscription: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A user holding the given numbers, authorised through a partner (no PIN needed). */
export async function clientHolding(t: TestApp, partnerToken: string, numbers: string[]) {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/partner/users",
    token: partnerToken,
    body: { organization: organization(t), registrationNumbers: numbers },
  });
  if (response.statusCode !== 201) throw new Error(`client: ${response.statusCode} ${response.body}`);
  const body = response.json() as { userCode: string; password: string };
  return {
    userCode: body.userCode,
    password: body.password,
    token: await tokenFor(t, body.userCode, body.password),
  };
}
