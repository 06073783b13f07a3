import { type Static, Type } from "@sinclair/typebox";
import { MAX_SUBSCRIPTION_MONTHS } from "../domain/subscriptions.ts";
import { OrganizationSchema } from "./registration.ts";
import { Nullable } from "./shapes.ts";

export const UserCodeParams = Type.Object({ userCode: Type.String({ maxLength: 64 }) });

export const AuthorizedProductSchema = Type.Object({
  registrationNumber: Type.String(),
  product: Type.String(),
  productName: Type.String(),
  edition: Type.String(),
  configurations: Type.Array(Type.String()),
});
export type AuthorizedProduct = Static<typeof AuthorizedProductSchema>;

/** POST /api/v1/partner/users */
export const RegisterClientRequestSchema = Type.Object({
  organization: OrganizationSchema,
  registrationNumbers: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: 100 }),
});
export type RegisterClientRequest = Static<typeof RegisterClientRequestSchema>;

export const RegisteredClientSchema = Type.Object({
  userCode: Type.String(),
  password: Type.String(),
  activeFrom: Type.String(),
  products: Type.Array(AuthorizedProductSchema),
  letter: Type.String(),
  mail: Type.Object(
    {
      via: Type.String({ description: "smtp, outbox, or failed (print the letter instead)" }),
      error: Type.Optional(Type.String()),
    },
    { description: "How the letter was mailed; a failure does not undo the registration" },
  ),
});
export type RegisteredClient = Static<typeof RegisteredClientSchema>;

/** A number's support subscription this month, as the partner's pages and answers show it. */
export const SupportCoverageSchema = Type.Object({
  coveredThisMonth: Type.Boolean(),
  until: Nullable(Type.String({ description: "the last day (YYYY-MM-DD) of the unbroken coverage" })),
  needed: Type.Boolean({ description: "false for basic editions, which need no subscription" }),
});
export type SupportCoverage = Static<typeof SupportCoverageSchema>;

export const ClientProductSchema = Type.Object({
  ...AuthorizedProductSchema.properties,
  support: SupportCoverageSchema,
});
export type ClientProduct = Static<typeof ClientProductSchema>;

/**
 * GET /api/v1/partner/users/:userCode, and each item of GET /api/v1/partner/users: an account the
 * partner registered (with its organisation and every product) or authorised a number on (only
 * the numbers it authorised; organisation and e-mail null).
 */
export const ClientDetailSchema = Type.Object({
  userCode: Type.String(),
  organization: Nullable(Type.String()),
  email: Nullable(Type.String()),
  registeredByYou: Type.Boolean(),
  products: Type.Array(ClientProductSchema),
});
export type ClientDetail = Static<typeof ClientDetailSchema>;
export type ClientSummary = ClientDetail;
export const ClientListSchema = Type.Array(ClientDetailSchema);

/** GET /api/v1/partner/users/:userCode/products/check */
/** The number is checked by the use case (a missing one is validation_failed), after the caller's access. */
export const NumberCheckQuerySchema = Type.Object({
  registrationNumber: Type.Optional(Type.String({ maxLength: 32 })),
});

export const NumberCheckSchema = Type.Object({
  userCode: Type.String(),
  ...AuthorizedProductSchema.properties,
  support: SupportCoverageSchema,
  supportWarning: Type.Boolean({
    description: "true for a PROF (or higher) number that no subscription or free period covers this month",
  }),
});
export type NumberCheck = Static<typeof NumberCheckSchema>;

/** POST /api/v1/partner/users/:userCode/products */
export const AuthorizeRequestSchema = Type.Object({ registrationNumber: Type.String({ maxLength: 32 }) });

/** POST /api/v1/partner/subscriptions */
export const SubscriptionRequestSchema = Type.Object({
  registrationNumber: Type.String({ maxLength: 32 }),
  fromMonth: Type.String({ maxLength: 7 }),
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SUBSCRIPTION_MONTHS })),
  toMonth: Type.Optional(Type.String({ maxLength: 7 })),
  additionalNumbers: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 1000 })),
});
export type SubscriptionRequest = Static<typeof SubscriptionRequestSchema>;

export const RecordedSubscriptionSchema = Type.Object({
  id: Type.String(),
  registrationNumber: Type.String(),
  fromMonth: Type.String(),
  months: Type.Integer(),
  toMonth: Type.String(),
  additionalNumbers: Type.Array(Type.String()),
  partner: Nullable(Type.String()),
});
export type RecordedSubscription = Static<typeof RecordedSubscriptionSchema>;
