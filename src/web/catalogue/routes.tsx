import type { WebArea } from "../area.ts";

/**
 * Catalogue: configurations, release tables, release pages with documents and downloads, the update planner, platform releases.
 * Reserved, not built yet: GET /configurations, /configurations/:code, /configurations/:code/releases/:version, /configurations/:code/plan, /platform/...
 */
export const catalogueArea: WebArea = async (_app, _context) => {};
