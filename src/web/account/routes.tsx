import type { WebArea } from "../area.ts";

/**
 * My account: the software products table, the organisation profile, device tokens, the password, adding a product.
 * Reserved, not built yet: GET /account, /account/organisation, /account/devices, /account/password, /account/products/add.
 */
export const accountArea: WebArea = async (_app, _context) => {};
