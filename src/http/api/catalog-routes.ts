import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";
import {
  ConfigurationSchema,
  PlanSchema,
  problemResponses,
  ReleaseSchema,
  ReleaseWithDocumentsSchema,
} from "./schemas.ts";

export const catalogRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/v1/configurations",
      {
        schema: {
          tags: ["catalogue"],
          summary: "Configurations in the catalogue",
          response: { 200: Type.Array(ConfigurationSchema), ...problemResponses },
        },
      },
      async (request) => {
        requireUser(request);
        return services.catalog.listConfigurations();
      },
    );

    app.get(
      "/api/v1/configurations/:code/releases",
      {
        schema: {
          tags: ["catalogue"],
          summary: "Published releases of a configuration, newest first",
          params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Array(ReleaseSchema), ...problemResponses },
        },
      },
      async (request) => {
        requireUser(request);
        return services.updates.publishedReleases(request.params.code);
      },
    );

    app.get(
      "/api/v1/releases/:id",
      {
        schema: {
          tags: ["catalogue"],
          summary: "A release with its documents",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: ReleaseWithDocumentsSchema, ...problemResponses },
        },
      },
      async (request) => {
        requireUser(request);
        return services.catalog.getRelease(request.params.id);
      },
    );

    app.post(
      "/api/v1/updates/plan",
      {
        schema: {
          tags: ["updates"],
          summary: "The chain of updates from an installed version to the newest (or a target) release",
          body: Type.Object({
            configuration: Type.String({ maxLength: 64 }),
            version: Type.String({ maxLength: 64 }),
            platformVersion: Type.Optional(Type.String({ maxLength: 64 })),
            target: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: PlanSchema, ...problemResponses },
        },
      },
      async (request) => {
        requireUser(request);
        return services.updates.plan(request.body);
      },
    );
  };
