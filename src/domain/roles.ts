import { forbidden } from "./errors.ts";

export const ROLES = ["admin", "support", "partner", "user"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Vendor staff see the whole catalogue, whatever the entitlement rules say of users. */
export function isStaff(role: Role): boolean {
  return role === "admin" || role === "support";
}

/** The partner a partner account acts for; other accounts, or one linked to no partner, are refused. */
export function requirePartnerId(actor: { role: Role; partnerId: string | null }): string {
  if (actor.role !== "partner" || !actor.partnerId) {
    throw forbidden("partner_required", "This needs a partner account linked to a partner.");
  }
  return actor.partnerId;
}
