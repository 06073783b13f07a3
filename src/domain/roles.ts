export const ROLES = ["admin", "support", "partner", "user"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Vendor staff see the whole catalogue, whatever the entitlement rules say of users. */
export function isStaff(role: Role): boolean {
  return role === "admin" || role === "support";
}
