import type { WebArea } from "../area.ts";
import { render } from "../render.tsx";
import { HomePage } from "./home-page.tsx";

/** The home page: what the service is, how to register, news, the latest published releases. */
export const homeArea: WebArea = async (app, { services }) => {
  app.get("/", { config: { access: "public" } }, async (request, reply) => {
    const releases = await services.catalogue.latestPublishedReleases(8);
    return render(reply, <HomePage view={request.view} releases={releases} />);
  });
};
