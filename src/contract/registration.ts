import { type Static, Type } from "@sinclair/typebox";
import {
  MAX_TEXT_LENGTH,
  MAX_WORKSTATIONS,
  ORGANIZATION_FIELDS,
  type OrganizationField,
} from "../domain/organization.ts";
import { MAX_ISSUE_COUNT } from "../domain/pin.ts";
import { FREE_TEXT, Nullable } from "./shapes.ts";

const ORGANIZATION_FIELD_RULES: Partial<Record<OrganizationField, string>> = {
  address: `Text of at most ${MAX_TEXT_LENGTH} characters; may span lines.`,
  phone: "5-30 characters of digits, spaces, +, -, ( and ), with at least 5 digits.",
  email: "An e-mail address such as name@example.com.",
  purchaseDate: "A date as YYYY-MM-DD, not later than today.",
  workstations: `A whole number from 1 to ${MAX_WORKSTATIONS}, as a number or in digits.`,
};

/**
 * The registration form's organisation. Each field is described here but checked by the domain
 * (src/domain/organization.ts), which trims the text and names every missing or invalid field at
 * once (validation_failed with `fields`); so the validator lets any value through.
 */
export const OrganizationSchema = Type.Object(
  Object.fromEntries(
    ORGANIZATION_FIELDS.map((field) => [
      field,
      Type.Optional(
        Type.Unknown({
          description: `Mandatory. ${ORGANIZATION_FIELD_RULES[field] ?? `Text of at most ${MAX_TEXT_LENGTH} characters.`}`,
          ...(field === "address" ? { [FREE_TEXT]: true } : {}),
        }),
      ),
    ]),
  ),
  {
    additionalProperties: true,
    description: "The organisation's details: every field is mandatory; other fields are ignored.",
  },
);

export const NumberParams = Type.Object({ number: Type.String({ maxLength: 32 }) });
export const LoginParams = Type.Object({ login: Type.String({ maxLength: 64 }) });

/** POST /api/v1/admin/registration-numbers */
export const IssueRequestSchema = Type.Object({
  product: Type.String({ maxLength: 64 }),
  count: Type.Integer({ minimum: 1, maximum: MAX_ISSUE_COUNT }),
  pin: Type.Boolean(),
  vendorRegistered: Type.Optional(
    Type.Boolean({ description: "Electronic deliveries: registered with the vendor at issue" }),
  ),
  purchaseDate: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 10,
        description:
          "YYYY-MM-DD, not in the future nor before 1991; starts a PROF product's free support months. Vendor-registered (electronic) deliveries without it count from today.",
      }),
    ),
  ),
});
export type IssueRequest = Static<typeof IssueRequestSchema>;

/** One issued number; its PIN (when issued with one) is shown this once and never stored. */
export const IssuedNumberSchema = Type.Object({
  registrationNumber: Type.String(),
  pin: Type.Optional(Type.String()),
});
export type IssuedNumber = Static<typeof IssuedNumberSchema>;

export const IssuedNumbersSchema = Type.Object({ items: Type.Array(IssuedNumberSchema) });

/** POST /api/v1/admin/registration-numbers/:number/card */
export const CardRequestSchema = Type.Object({ organization: OrganizationSchema });
export const RecordedCardSchema = Type.Object({
  registrationNumber: Type.String(),
  product: Type.String(),
  vendorRegisteredAt: Type.String(),
  purchaseDate: Type.String(),
});
export type RecordedCard = Static<typeof RecordedCardSchema>;

/** A registration number whose PIN lock was lifted; wasLocked tells whether a lock was running. */
export const UnlockedSchema = Type.Object({ registrationNumber: Type.String(), wasLocked: Type.Boolean() });
export type Unlocked = Static<typeof UnlockedSchema>;

/** POST /api/v1/admin/users/:login/activate; `activated` is false when the account was active already. */
export const ActivatedAccountSchema = Type.Object({
  login: Type.String(),
  activeFrom: Type.String(),
  activated: Type.Boolean(),
});
export type ActivatedAccount = Static<typeof ActivatedAccountSchema>;

/** POST /api/v1/registrations */
export const RegistrationRequestSchema = Type.Object({
  registrationNumber: Type.String({ maxLength: 32 }),
  pin: Type.String({ maxLength: 64 }),
  organization: OrganizationSchema,
});
export type RegistrationRequest = Static<typeof RegistrationRequestSchema>;

export const RegisteredSchema = Type.Object({
  userCode: Type.String(),
  password: Type.String(),
  activeFrom: Type.String(),
});
export type Registered = Static<typeof RegisteredSchema>;

/** POST /api/v1/accounts */
export const NewAccountSchema = Type.Object({
  login: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 256 }),
  email: Type.String({ maxLength: 254 }),
});
export type NewAccount = Static<typeof NewAccountSchema>;

export const AccountSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  email: Nullable(Type.String()),
});
export type Account = Static<typeof AccountSchema>;

/** POST /api/v1/me/products */
export const AddProductRequestSchema = Type.Object({
  registrationNumber: Type.String({ maxLength: 32 }),
  pin: Type.String({ maxLength: 64 }),
});
export type AddProductRequest = Static<typeof AddProductRequestSchema>;

/** A product of the signed-in account, with its support status (GET /api/v1/me/products). */
export const MyProductSchema = Type.Object({
  registrationNumber: Type.String(),
  product: Type.String(),
  edition: Type.String(),
  configurations: Type.Array(Type.String()),
  support: Type.Object({ coveredThisMonth: Type.Boolean(), until: Nullable(Type.String()) }),
  registeredBy: Type.Union([Type.Literal("pin"), Type.Literal("partner")], {
    description: "How the number joined the account: with its PIN, or authorised by a partner",
  }),
  registeredByPartner: Nullable(
    Type.String({ description: "The partner's name when a partner authorised it" }),
  ),
});
export type MyProduct = Static<typeof MyProductSchema>;
export const MyProductListSchema = Type.Array(MyProductSchema);

/** GET /api/v1/me/organization: the organisation as its registration form recorded it. */
export const OrganizationProfileSchema = Type.Object({
  name: Type.String(),
  activity: Type.String(),
  postalCode: Type.String(),
  address: Type.String({ [FREE_TEXT]: true }),
  head: Type.String(),
  responsiblePerson: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  purchasedFrom: Type.String(),
  purchaseDate: Type.String(),
  workstations: Type.Integer(),
});
export type OrganizationProfile = Static<typeof OrganizationProfileSchema>;
