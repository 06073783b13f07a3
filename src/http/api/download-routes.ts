import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IdParams } from "../../contract/catalogue.ts";
import { DistributionFileResponses } from "../../contract/downloads.ts";
import { ProblemSchema, problemResponses } from "../../contract/problem.ts";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";
import { sendDistribution } from "../send-distribution.ts";

export const downloadRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/v1/distributions/:id/file",
      {
        schema: {
          tags: ["updates"],
          summary: "Download a distribution (Range and If-Range supported)",
          params: IdParams,
          response: {
            ...DistributionFileResponses,
            ...problemResponses,
            416: ProblemSchema,
          },
        },
        config: { access: "signed-in" },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const distribution = await services.catalogue.distributionForViewer(request.params.id, user);
        return sendDistribution(request, reply, services.downloads, user, distribution);
      },
    );
  };
