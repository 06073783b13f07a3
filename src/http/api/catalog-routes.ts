import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import {
  CodeParams,
  ConfigurationListSchema,
  IdParams,
  ReleaseListSchema,
  ReleaseWithDocumentsSchema,
} from "../../contract/catalogue.ts";
import { PlanRequestSchema, PlanSchema } from "../../contract/plans.ts";
import { problemResponses } from "../../contract/problem.ts";
import { type DownloadAccess, entitlementProblem } from "../../domain/entitlement.ts";
import { notFound } from "../../domain/errors.ts";
import { isStaff } from "../../domain/roles.ts";
import type { Plan } from "../../services/updates.ts";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";
import { planResponses } from "./plan-responses.ts";

export const catalogRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const sendPlan = planResponses();
    // One decision answers both questions: may the user see this configuration (else 403), and
    // may it download the chain now (told in the answer).
    const answerPlan = (reply: FastifyReply, plan: Plan, decision: DownloadAccess): FastifyReply => {
      if (!decision.allowed && decision.reason !== "support_subscription_required") {
        throw entitlementProblem(decision);
      }
      return sendPlan(reply, plan, decision);
    };
    app.get(
      "/api/v1/configurations",
      {
        schema: {
          tags: ["catalogue"],
          summary: "Configurations in the catalogue",
          response: { 200: ConfigurationListSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request) => {
        const user = requireUser(request);
        const [visible, all] = await Promise.all([
          services.entitlements.visibleConfigurations(user),
          services.catalog.listConfigurations(),
        ]);
        return visible === "all" ? all : all.filter((c) => visible.has(c.code));
      },
    );

    app.get(
      "/api/v1/configurations/:code/releases",
      {
        schema: {
          tags: ["catalogue"],
          summary: "Published releases of a configuration, newest first",
          params: CodeParams,
          response: { 200: ReleaseListSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request) => {
        const user = requireUser(request);
        // Answers 404 for an unknown configuration before any entitlement question.
        const releases = await services.updates.publishedReleases(request.params.code);
        await services.entitlements.assertCanSee(user, request.params.code);
        return releases;
      },
    );

    app.get(
      "/api/v1/releases/:id",
      {
        schema: {
          tags: ["catalogue"],
          summary: "A release with its documents",
          params: IdParams,
          response: { 200: ReleaseWithDocumentsSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request) => {
        const user = requireUser(request);
        const release = await services.catalog.getRelease(request.params.id);
        if (release.status !== "published" && !isStaff(user.role)) {
          throw notFound("release_not_found", `There is no release ${request.params.id}.`, {
            release: request.params.id,
          });
        }
        await services.entitlements.assertCanSee(user, release.configuration);
        return release;
      },
    );

    app.post(
      "/api/v1/updates/plan",
      {
        schema: {
          tags: ["updates"],
          summary: "The chain of updates from an installed version to the newest (or a target) release",
          body: PlanRequestSchema,
          response: { 200: PlanSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      (request, reply) => {
        const user = requireUser(request);
        const { body } = request;
        // Plans are cached per catalogue revision and decisions while they cannot change: the
        // busiest path answers from them without a promise (a sync handler that has sent returns
        // nothing), the rest waits for the database and returns the reply, as async handlers do.
        const plan = services.updates.cachedPlan(body);
        const decision = services.entitlements.keptDownloadDecision(user, body.configuration);
        if (plan && decision) {
          answerPlan(reply, plan, decision);
          return;
        }
        return (async () => {
          // An unknown configuration or version fails at the plan, before any entitlement question.
          const planned = plan ?? (await services.updates.plan(body));
          const decided =
            decision ?? (await services.entitlements.downloadDecision(user, body.configuration));
          return answerPlan(reply, planned, decided);
        })();
      },
    );
  };
