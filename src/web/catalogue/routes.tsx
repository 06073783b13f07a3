import type { FastifyReply } from "fastify";
import type { Configuration } from "../../contract/catalogue.ts";
import { AppError } from "../../domain/errors.ts";
import { isStaff } from "../../domain/roles.ts";
import { sendDistribution } from "../../http/send-distribution.ts";
import type { User } from "../../services/accounts.ts";
import type { Plan } from "../../services/updates.ts";
import type { WebArea } from "../area.ts";
import { render } from "../render.tsx";
import type { ViewContext } from "../view.ts";
import { ConfigurationPage } from "./configuration-page.tsx";
import { ConfigurationsPage } from "./configurations-page.tsx";
import { DeniedPage } from "./denied-page.tsx";
import { type Denial, denialOf } from "./parts.tsx";
import { type PlanForm, PlanPage } from "./plan-page.tsx";
import { ReleasePage } from "./release-page.tsx";
import { releaseTableHtml } from "./release-table.tsx";

type CodeParams = { code: string };
type ReleaseParams = CodeParams & { version: string };
type FileParams = ReleaseParams & { id: string };

const ALL_STATUSES = ["published", "draft", "withdrawn"] as const;
const FIELD_LENGTH = 64;

/** A query value as one short string ("" when absent or repeated). */
function queryValue(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value.trim().slice(0, FIELD_LENGTH) : "";
}

/**
 * Catalogue: my configurations and the offer for the others, a configuration's release table,
 * a release page with its documents and files, file downloads, and the update planner. Each
 * page asks the use cases the API's catalogue routes ask; staff see every release.
 */
export const catalogueArea: WebArea = async (app, { services }) => {
  const { catalogue, updates, entitlements } = services;

  /** The page, or the configuration's denial page when the user may not open it (the API's 403). */
  async function orDenied(
    reply: FastifyReply,
    view: ViewContext,
    configuration: Configuration,
    page: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    try {
      return await page();
    } catch (error) {
      const denial = denialOf(error, configuration.code);
      if (!denial) throw error;
      return render(reply, <DeniedPage view={view} configuration={configuration} denial={denial} />, 403);
    }
  }

  /** Why the user may not download this configuration's files now (the download route's own decision), if so. */
  async function downloadDenial(user: User, code: string): Promise<Denial | null> {
    const decision = await entitlements.downloadDecision(user, code);
    return decision.allowed ? null : decision;
  }

  app.get("/configurations", { config: { access: "signed-in" } }, async (request, reply) => {
    const user = request.view.user!;
    const { mine, others } = await catalogue.catalogueForViewer(user);
    const entries = await Promise.all(
      mine.map(async (configuration) => ({
        configuration,
        releases: await updates.publishedReleases(configuration.code),
      })),
    );
    return render(reply, <ConfigurationsPage view={request.view} mine={entries} others={others} />);
  });

  app.get<{ Params: CodeParams }>(
    "/configurations/:code",
    { config: { access: "signed-in" } },
    async (request, reply) => {
      const { view } = request;
      const user = view.user!;
      const configuration = await catalogue.requireConfiguration(request.params.code);
      return orDenied(reply, view, configuration, async () => {
        const staff = isStaff(user.role);
        const releases = staff
          ? await catalogue.listReleases(configuration.code, ALL_STATUSES)
          : await updates.publishedReleasesFor(user, configuration.code);
        const tableHtml = releaseTableHtml(view, configuration.code, releases, {
          withStatus: staff,
          cache: !staff,
        });
        return render(
          reply,
          <ConfigurationPage
            view={view}
            configuration={configuration}
            releases={releases}
            tableHtml={tableHtml}
            denial={await downloadDenial(user, configuration.code)}
          />,
        );
      });
    },
  );

  app.get<{ Params: ReleaseParams }>(
    "/configurations/:code/releases/:version",
    { config: { access: "signed-in" } },
    async (request, reply) => {
      const { view } = request;
      const user = view.user!;
      const { code, version } = request.params;
      const configuration = await catalogue.requireConfiguration(code);
      return orDenied(reply, view, configuration, async () => {
        const release = await catalogue.releaseOfVersionForViewer(code, version, user);
        const denial = await downloadDenial(user, code);
        return render(
          reply,
          <ReleasePage view={view} configuration={configuration} release={release} denial={denial} />,
        );
      });
    },
  );

  // The API's download (src/http/send-distribution.ts) under the session: the same checks, log and Range support.
  app.get<{ Params: FileParams }>(
    "/configurations/:code/releases/:version/files/:id",
    { config: { access: "signed-in" } },
    async (request, reply) => {
      const { view } = request;
      const user = view.user!;
      const { code, version, id } = request.params;
      const configuration = await catalogue.requireConfiguration(code);
      return orDenied(reply, view, configuration, async () => {
        const release = await catalogue.releaseOfVersionForViewer(code, version, user);
        if (!release.distributions.some((distribution) => distribution.id === id)) {
          throw new AppError("not_found", "distribution_not_found", `There is no distribution ${id}.`);
        }
        const distribution = await catalogue.distributionForViewer(id, user);
        return sendDistribution(request, reply, services.downloads, user, distribution);
      });
    },
  );

  app.get<{ Params: CodeParams }>(
    "/configurations/:code/plan",
    { config: { access: "signed-in" } },
    async (request, reply) => {
      const { view } = request;
      const user = view.user!;
      const configuration = await catalogue.requireConfiguration(request.params.code);
      const form: PlanForm & { errors: { version?: string; platform?: string } } = {
        version: queryValue(request.query, "version"),
        platform: queryValue(request.query, "platform"),
        errors: {},
      };
      return orDenied(reply, view, configuration, async () => {
        // Opening the planner needs the right to open the configuration, as its release list does.
        await updates.publishedReleasesFor(user, configuration.code);
        let plan: Plan | null = null;
        let denial: Denial | null = null;
        let status = 200;
        if (form.version) {
          try {
            const answer = await updates.planFor(
              user,
              {
                configuration: configuration.code,
                version: form.version,
                ...(form.platform ? { platformVersion: form.platform } : {}),
              },
              null,
              (_context, planned, access) => ({ planned, access }),
            );
            plan = answer.planned;
            denial = answer.access.allowed ? null : answer.access;
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            if (error.code === "no_published_releases") {
              form.errors.version = view.t("catalogue:configuration.empty");
            } else if (error.code !== "invalid_version") {
              throw error;
            } else if (error.details.field === "platformVersion") {
              form.errors.platform = view.t("catalogue:plan.invalidPlatform");
            } else {
              form.errors.version = view.t("catalogue:plan.invalidVersion");
            }
            status = 400;
          }
        }
        return render(
          reply,
          <PlanPage view={view} configuration={configuration} form={form} plan={plan} denial={denial} />,
          status,
        );
      });
    },
  );
};
