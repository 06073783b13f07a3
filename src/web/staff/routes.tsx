import type { WebArea } from "../area.ts";

/**
 * Vendor staff area: configurations, products, releases, registration numbers, cards, partners, the audit log.
 * Reserved, not built yet: /staff/...
 */
export const staffArea: WebArea = async (_app, _context) => {};
