import { type Static, Type } from "@sinclair/typebox";

/** POST /api/v1/auth/token */
export const TokenRequestSchema = Type.Object({
  login: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 256 }),
  name: Type.Optional(Type.String({ maxLength: 100, description: "Names the device or program" })),
});
export type TokenRequest = Static<typeof TokenRequestSchema>;

export const IssuedTokenSchema = Type.Object({ token: Type.String(), expiresAt: Type.String() });
export type IssuedToken = Static<typeof IssuedTokenSchema>;

/** GET /api/v1/me */
export const MeSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  role: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
});
export type Me = Static<typeof MeSchema>;

/** GET /api/v1/me/tokens: one bearer token of the signed-in account (never the token itself). */
export const TokenListingSchema = Type.Object({
  id: Type.String(),
  name: Type.String({ description: "The name the device or program gave at sign-in" }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  current: Type.Boolean({ description: "The token this request carries" }),
});
export type TokenListingItem = Static<typeof TokenListingSchema>;
export const TokenListSchema = Type.Array(TokenListingSchema);

export const TokenParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** PUT /api/v1/me/password */
export const PasswordChangeSchema = Type.Object({
  currentPassword: Type.String({ maxLength: 256 }),
  newPassword: Type.String({ maxLength: 256 }),
});
export type PasswordChange = Static<typeof PasswordChangeSchema>;
