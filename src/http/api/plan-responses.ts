import type { FastifyReply } from "fastify";
import { type DownloadVerdict, downloadVerdict } from "../../contract/plans.ts";
import type { DownloadAccess } from "../../domain/entitlement.ts";
import type { Plan } from "../../services/updates.ts";

/**
 * The plan answer is the busiest response of the service and it repeats: every caller with the
 * same request gets the same plan object (cached per catalogue revision), and decisions are
 * reused while they cannot change. Each (plan, verdict) pair is serialised once, by the route's
 * own response schema, and later answers send those bytes (no encoding per answer).
 */
export function planResponses() {
  // Every allowed decision gives the same verdict; a refusal's depends on its reason and month.
  const allowed = { verdict: downloadVerdict({ allowed: true, via: [] }), key: "allowed" };
  const refusals = new WeakMap<DownloadAccess, { verdict: DownloadVerdict; key: string }>();
  const bodies = new WeakMap<Plan, Map<string, Buffer>>();

  return function sendPlan(reply: FastifyReply, plan: Plan, decision: DownloadAccess): FastifyReply {
    let verdict = decision.allowed ? allowed : refusals.get(decision);
    if (!verdict) {
      const value = downloadVerdict(decision);
      verdict = { verdict: value, key: JSON.stringify(value) };
      refusals.set(decision, verdict);
    }
    let byVerdict = bodies.get(plan);
    if (!byVerdict) {
      byVerdict = new Map();
      bodies.set(plan, byVerdict);
    }
    let body = byVerdict.get(verdict.key);
    if (body === undefined) {
      body = Buffer.from(reply.serializeInput({ ...plan, download: verdict.verdict }, "200") as string);
      byVerdict.set(verdict.key, body);
    }
    return reply.type("application/json; charset=utf-8").send(body);
  };
}
