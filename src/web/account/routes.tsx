import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import type { WebArea } from "../area.ts";
import { formField } from "../forms.ts";
import { type FormErrors, formErrorStatus, pinRegistrationErrors } from "../registration/form-problems.ts";
import { render } from "../render.tsx";
import type { ViewContext } from "../view.ts";
import { COOKIES } from "../view.ts";
import { AddProductPage } from "./add-product-page.tsx";
import { DevicesPage, type Revoked } from "./devices-page.tsx";
import { OrganisationPage } from "./organisation-page.tsx";
import { PasswordPage } from "./password-page.tsx";
import { ProductsPage } from "./products-page.tsx";

const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

/** A token's or session's id from the address (control characters never get this far). */
function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** The refusals of a password change a person can fix on the form. */
function passwordErrors(view: ViewContext, error: unknown): FormErrors | null {
  if (!(error instanceof AppError)) return null;
  switch (error.code) {
    case "wrong_current_password":
      return { fields: { currentPassword: view.t("account:password.wrongCurrent") } };
    case "weak_password":
      return { fields: { newPassword: view.t("account:password.weak") } };
    default:
      return null;
  }
}

/**
 * My account: the product table (GET /api/v1/me/products), the organisation, the devices (the
 * API's tokens and the portal's sessions, each revocable), the password, and "register software
 * product" with a number and its PIN (POST /api/v1/me/products), all over the same use cases.
 */
export const accountArea: WebArea = async (app, { services, rateLimits }) => {
  const signedIn = { config: { access: "signed-in" as const } };

  /** The session this browser signed in with (kept by a password change, marked on the devices page). */
  async function currentSessionId(request: FastifyRequest): Promise<string | null> {
    const secret = request.cookies[COOKIES.session];
    return secret ? ((await services.sessions.resolve(secret))?.session.id ?? null) : null;
  }

  app.get("/account", signedIn, async (request, reply) => {
    const view = request.view;
    const products = await services.registrations.myProducts(view.user!);
    const added = query(request).added;
    const addedNumber = typeof added === "string" && products.some((p) => p.registrationNumber === added);
    return render(
      reply,
      <ProductsPage view={view} products={products} added={addedNumber ? (added as string) : undefined} />,
    );
  });

  app.get("/account/organisation", signedIn, async (request, reply) => {
    const organization = await services.registrations.myOrganization(request.view.user!);
    return render(reply, <OrganisationPage view={request.view} organization={organization} />);
  });

  app.get("/account/devices", signedIn, async (request, reply) => {
    const view = request.view;
    const user = view.user!;
    const [tokens, sessions, currentId] = await Promise.all([
      services.accounts.listTokens(user),
      services.sessions.listForUser(user.id),
      currentSessionId(request),
    ]);
    const revoked = query(request).revoked;
    return render(
      reply,
      <DevicesPage
        view={view}
        tokens={tokens}
        sessions={sessions}
        currentSessionId={currentId}
        revoked={revoked === "token" || revoked === "session" ? (revoked as Revoked) : null}
      />,
    );
  });

  app.post("/account/devices/tokens/:id/revoke", signedIn, async (request, reply) => {
    await services.accounts.revokeOwnToken(request.view.user!, idParam(request));
    return reply.redirect("/account/devices?revoked=token", 303);
  });

  app.post("/account/devices/sessions/:id/revoke", signedIn, async (request, reply) => {
    await services.sessions.revoke(request.view.user!.id, idParam(request));
    return reply.redirect("/account/devices?revoked=session", 303);
  });

  app.get("/account/password", signedIn, async (request, reply) =>
    render(reply, <PasswordPage view={request.view} changed={query(request).changed === "1"} />),
  );

  // Each try checks the current password: throttled as signing in is.
  app.post(
    "/account/password",
    { config: { access: "signed-in", rateLimit: rateLimits.signIn } },
    async (request, reply) => {
      const view = request.view;
      const newPassword = formField(request, "newPassword");
      if (newPassword !== formField(request, "newPasswordAgain")) {
        const errors = { fields: { newPasswordAgain: view.t("account:password.differ") } };
        return render(reply, <PasswordPage view={view} errors={errors} />, 400);
      }
      try {
        await services.accounts.changePassword(
          view.user!,
          { currentPassword: formField(request, "currentPassword"), newPassword },
          { sessionId: await currentSessionId(request) },
        );
      } catch (error) {
        const errors = passwordErrors(view, error);
        if (!errors) throw error;
        return render(reply, <PasswordPage view={view} errors={errors} />, formErrorStatus(error));
      }
      return reply.redirect("/account/password?changed=1", 303);
    },
  );

  // Staff and partners hold no products of their own, as on the API.
  const customers = { config: { access: ["user" as const] } };

  app.get("/account/products/add", customers, async (request, reply) =>
    render(reply, <AddProductPage view={request.view} welcome={query(request).welcome === "1"} />),
  );

  app.post(
    "/account/products/add",
    { config: { access: ["user" as const], rateLimit: rateLimits.registration } },
    async (request, reply) => {
      const view = request.view;
      const values = { registrationNumber: formField(request, "registrationNumber") };
      try {
        const added = await services.registrations.addProduct(
          view.user!,
          { ...values, pin: formField(request, "pin") },
          request.ip,
        );
        return reply.redirect(`/account?added=${encodeURIComponent(added.registrationNumber)}`, 303);
      } catch (error) {
        const errors = pinRegistrationErrors(view, error);
        if (!errors) throw error;
        return render(
          reply,
          <AddProductPage view={view} values={values} errors={errors} />,
          formErrorStatus(error),
        );
      }
    },
  );
};
