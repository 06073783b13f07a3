import { type Static, Type } from "@sinclair/typebox";
import { ProductSchema } from "./catalogue.ts";
import { Nullable } from "./shapes.ts";

/** Paging of staff lists; the bounds are the domain's (src/domain/paging.ts), checked there. */
const pagingQuery = {
  limit: Type.Optional(Type.String({ maxLength: 12, description: "Rows per page, 1 to 200 (default 50)" })),
  offset: Type.Optional(
    Type.String({ maxLength: 12, description: "Rows to skip, from 0; take `nextOffset` of the last page" }),
  ),
};

const nextOffset = Nullable(
  Type.Integer({ description: "The offset of the next page; null on the last one" }),
);

/** GET /api/v1/admin/products */
export const ProductListSchema = Type.Array(ProductSchema);

export const ProductCodeParams = Type.Object({ code: Type.String({ maxLength: 64 }) });

/** PATCH /api/v1/admin/products/:code: the fields given change; the edition is fixed (another edition is another product). */
export const ProductUpdateSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    freeSupportMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    configurations: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ProductUpdate = Static<typeof ProductUpdateSchema>;

export const REGISTRATION_NUMBER_STATES = [
  "awaiting-card",
  "vendor-registered",
  "on-account",
  "free",
  "locked",
] as const;
export type RegistrationNumberState = (typeof REGISTRATION_NUMBER_STATES)[number];

/** GET /api/v1/admin/registration-numbers */
export const RegistrationNumberQuerySchema = Type.Object({
  product: Type.Optional(Type.String({ maxLength: 64, description: "Numbers of this product only" })),
  number: Type.Optional(Type.String({ maxLength: 12, description: "Numbers starting with these digits" })),
  state: Type.Optional(
    Type.Union(
      REGISTRATION_NUMBER_STATES.map((state) => Type.Literal(state)),
      {
        description:
          "awaiting-card: not registered with the vendor yet; vendor-registered; on-account: held by an account; " +
          "free: on no account; locked: wrong PINs lock it now",
      },
    ),
  ),
  ...pagingQuery,
});
export type RegistrationNumberQuery = Static<typeof RegistrationNumberQuerySchema>;

export const RegistrationNumberSummarySchema = Type.Object({
  registrationNumber: Type.String(),
  product: Type.String(),
  withPin: Type.Boolean({ description: "Issued with a PIN envelope" }),
  issuedAt: Type.String(),
  vendorRegisteredAt: Nullable(Type.String()),
  purchaseDate: Nullable(Type.String()),
  holder: Nullable(Type.String({ description: "The user code (login) of the account holding it" })),
  lockedUntil: Nullable(Type.String({ description: "While wrong PINs lock it (any address): until when" })),
});
export type RegistrationNumberSummary = Static<typeof RegistrationNumberSummarySchema>;

export const RegistrationNumberPageSchema = Type.Object({
  items: Type.Array(RegistrationNumberSummarySchema),
  nextOffset,
});
export type RegistrationNumberPage = Static<typeof RegistrationNumberPageSchema>;

/** GET /api/v1/admin/audit-log */
export const AuditLogQuerySchema = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 64, description: "The login of who acted" })),
  action: Type.Optional(
    Type.String({
      maxLength: 64,
      description: "An action (release.publish), or its family ending in a dot (release.)",
    }),
  ),
  from: Type.Optional(Type.String({ maxLength: 10, description: "First day, YYYY-MM-DD (UTC)" })),
  to: Type.Optional(Type.String({ maxLength: 10, description: "Last day, YYYY-MM-DD (UTC), included" })),
  ...pagingQuery,
});
export type AuditLogQuery = Static<typeof AuditLogQuerySchema>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Nullable(Type.String({ description: "The login of who acted; null for the system or the CLI" })),
  action: Type.String(),
  subject: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditLogPageSchema = Type.Object({ items: Type.Array(AuditEntrySchema), nextOffset });
export type AuditLogPage = Static<typeof AuditLogPageSchema>;

export const PartnerLoginSchema = Type.Object({
  login: Type.String(),
  email: Nullable(Type.String()),
  activeFrom: Type.String(),
});
export type PartnerLoginSummary = Static<typeof PartnerLoginSchema>;

/** GET /api/v1/admin/partners */
export const PartnerSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  logins: Type.Array(PartnerLoginSchema),
  clients: Type.Integer({ description: "How many client accounts it registered" }),
});
export type PartnerSummary = Static<typeof PartnerSummarySchema>;
export const PartnerListSchema = Type.Array(PartnerSummarySchema);

export const PartnerIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** POST /api/v1/admin/partners */
export const NewPartnerSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

/** POST /api/v1/admin/partners/:id/logins */
export const NewPartnerLoginSchema = Type.Object({
  login: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 256 }),
  email: Type.Optional(Type.String({ maxLength: 254 })),
});
export type NewPartnerLogin = Static<typeof NewPartnerLoginSchema>;
