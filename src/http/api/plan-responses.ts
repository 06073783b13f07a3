import type { Static } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { type DownloadAccess, entitlementProblem } from "../../domain/entitlement.ts";
import type { Plan } from "../../services/updates.ts";
import type { PlanSchema } from "./schemas.ts";

/** The plan answer's `download` field, as its schema gives it. */
export type DownloadVerdict = Static<typeof PlanSchema>["download"];

/** Whether the planned chain may be downloaded now, and if not, why (the same problem the download gives). */
function downloadVerdict(decision: DownloadAccess): DownloadVerdict {
  if (decision.allowed) return { allowed: true, code: null, detail: null, month: null };
  const problem = entitlementProblem(decision);
  const month = "month" in decision ? decision.month : null;
  return { allowed: false, code: problem.code, detail: problem.message, month };
}

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
