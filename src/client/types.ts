/**
 * The server's JSON shapes the client reads, from the API contract. Type-only imports: no schema
 * is loaded at run time, and the client cannot drift from what the server sends.
 */
import type { Problem as ProblemAnswer } from "../contract/problem.ts";

export type { Me } from "../contract/auth.ts";
export type { Configuration, Distribution, Release, ReleaseWithDocuments } from "../contract/catalogue.ts";
export type { DownloadVerdict, Plan, PlanRequest, PlanStep } from "../contract/plans.ts";
export type { MyProduct } from "../contract/registration.ts";

/** A problem answer, read loosely: whatever answered (a proxy, say) may not send one. */
export type Problem = Partial<Pick<ProblemAnswer, "status" | "code" | "detail">>;
