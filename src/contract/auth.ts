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
