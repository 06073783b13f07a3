import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  CodeParams,
  ConfigurationListSchema,
  IdParams,
  ReleaseListSchema,
  ReleaseWithDocumentsSchema,
} from "../../contract/catalogue.ts";
import { PlanRequestSchema, PlanSchema } from "../../contract/plans.ts";
import { problemResponses } from "../../contract/problem.ts";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";
import { planResponses } from "./plan-responses.ts";

export const catalogueRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const sendPlan = planResponses();
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
      async (request) => services.catalogue.configurationsForViewer(requireUser(request)),
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
      async (request) => services.updates.publishedReleasesFor(requireUser(request), request.params.code),
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
      async (request) => services.catalogue.releaseForViewer(request.params.id, requireUser(request)),
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
        // Plans are cached per catalogue revision and decisions while they cannot change: the
        // busiest path answers from them without a promise (a sync handler that has sent returns
        // nothing), the rest waits for the database and returns the reply, as async handlers do.
        if (services.updates.keptPlanFor(user, request.body, reply, sendPlan)) return;
        // Wrapped so that the promise is typed as the route's own answer.
        return (async () => services.updates.planFor(user, request.body, reply, sendPlan))();
      },
    );
  };
