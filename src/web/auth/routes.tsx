import { AppError } from "../../domain/errors.ts";
import type { WebArea } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { safeLocalPath } from "../safe-redirect.ts";
import { clearSessionCookie, setSessionCookie } from "../session-cookie.ts";
import type { ViewContext } from "../view.ts";
import { COOKIES } from "../view.ts";
import { SignInPage } from "./sign-in-page.tsx";

/** The message of a refused sign-in, in the user's language; null for errors that are not the user's. */
function signInError(view: ViewContext, error: unknown): string | null {
  if (!(error instanceof AppError)) return null;
  switch (error.code) {
    case "invalid_credentials":
      return view.t("auth:errors.invalidCredentials");
    case "not_active_yet":
      return view.t("auth:errors.notActiveYet", {
        time: view.format.dateTime(String(error.details.activeFrom)),
      });
    default:
      return null;
  }
}

/** Sign in and out: the accounts use case checks the password, a server-side session remembers the user. */
export const authArea: WebArea = async (app, { services, rateLimits }) => {
  app.get("/sign-in", { config: { access: "public" } }, async (request, reply) => {
    const next = safeLocalPath((request.query as Record<string, unknown>).next);
    return render(reply, <SignInPage view={request.view} form={{ login: "", next }} />);
  });

  // Throttled per client address exactly as the API's POST /api/v1/auth/token.
  app.post(
    "/sign-in",
    { config: { access: "public", rateLimit: rateLimits.signIn } },
    async (request, reply) => {
      const view = request.view;
      const login = formField(request, "login").trim();
      const next = safeLocalPath(formField(request, "next"));
      let user: Awaited<ReturnType<typeof services.accounts.authenticate>>;
      try {
        user = await services.accounts.authenticate(login, formField(request, "password"));
      } catch (error) {
        const message = signInError(view, error);
        if (message === null) throw error;
        const status = (error as AppError).kind === "forbidden" ? 403 : 401;
        return render(reply, <SignInPage view={view} form={{ login, next, error: message }} />, status);
      }
      // A fresh session: a secret planted before sign-in is never promoted.
      const previous = request.cookies[COOKIES.session];
      if (previous) await services.sessions.end(previous);
      const { secret } = await services.sessions.start(user, request.headers["user-agent"] ?? null);
      setSessionCookie(reply, secret, services.sessions.maxMinutes);
      return reply.redirect(next, 303);
    },
  );

  app.post("/sign-out", { config: { access: "public" } }, async (request, reply) => {
    const secret = request.cookies[COOKIES.session];
    if (secret) await services.sessions.end(secret);
    clearSessionCookie(reply);
    return reply.redirect("/", 303);
  });
};
