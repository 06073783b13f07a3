import type { WebArea } from "../area.ts";

/**
 * Partner area: clients, the printable letter, authorising numbers, subscriptions.
 * Reserved, not built yet: /partner/...
 */
export const partnerArea: WebArea = async (_app, _context) => {};
