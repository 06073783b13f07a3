import type { FastifyReply } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/**
 * Sends a page: the doctype and the rendered TSX, which escapes every text and attribute.
 * Pages are never cached on the way: they carry a CSRF token and may show the user's data.
 */
export function render(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(`<!doctype html>${renderToString(page)}`);
}
