import type { WebArea } from "../area.ts";

/**
 * Registration: the first-time form (registration number, PIN and organisation), and a login created first with products added later.
 * Reserved, not built yet: GET/POST /register, GET/POST /sign-up.
 */
export const registrationArea: WebArea = async (_app, _context) => {};
