import type { FastifyRequest } from "fastify";
import { validateLogin, validatePassword } from "../../domain/credentials.ts";
import { AppError } from "../../domain/errors.ts";
import { emailProblem, ORGANIZATION_FIELDS } from "../../domain/organization.ts";
import type { WebArea } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { setSessionCookie } from "../session-cookie.ts";
import type { ViewContext } from "../view.ts";
import { COOKIES } from "../view.ts";
import type { FormValues } from "./form-parts.tsx";
import {
  controlCharacterErrors,
  type FormErrors,
  formErrorStatus,
  pinRegistrationErrors,
} from "./form-problems.ts";
import { RegisterPage } from "./register-page.tsx";
import { RegisteredPage } from "./registered-page.tsx";
import { SignUpPage } from "./sign-up-page.tsx";

/** The registration form's values as posted, without the PIN (which is never shown again). */
function registrationValues(request: FastifyRequest): Record<string, string> {
  return Object.fromEntries(
    ["registrationNumber", ...ORGANIZATION_FIELDS].map((field) => [field, formField(request, field)]),
  );
}

/**
 * The sign-up form's problems, every field at once, by the domain's rules for logins, e-mail
 * addresses and passwords (the use case checks them again, one by one); the repeated password
 * must match.
 */
function signUpProblems(view: ViewContext, values: FormValues, password: string, again: string): FormErrors {
  const { t } = view;
  const fields: Record<string, string> = {};
  const fails = (check: () => unknown) => {
    try {
      check();
      return false;
    } catch {
      return true;
    }
  };
  if (fails(() => validateLogin(values.login))) fields.login = t("registration:problems.login");
  if (emailProblem(values.email)) fields.email = t("registration:problems.email");
  if (fails(() => validatePassword(password))) fields.password = t("registration:problems.weakPassword");
  else if (password !== again) fields.passwordAgain = t("registration:problems.passwordsDiffer");
  return { fields };
}

/** The refusals of the account use case a person can fix on the sign-up form. */
function signUpErrors(view: ViewContext, error: unknown): FormErrors | null {
  if (!(error instanceof AppError)) return null;
  const { t } = view;
  switch (error.code) {
    case "invalid_login":
      return { fields: { login: t("registration:problems.login") } };
    case "login_taken":
      return { fields: { login: t("registration:problems.loginTaken") } };
    case "weak_password":
      return { fields: { password: t("registration:problems.weakPassword") } };
    case "validation_failed":
      return { fields: { email: t("registration:problems.email") } };
    default:
      return null;
  }
}

/**
 * Registration: the first-time form (number + PIN + organisation, the use case of
 * POST /api/v1/registrations) and a login made first (that of POST /api/v1/accounts). Both
 * POSTs are throttled per address as the API's registration routes are.
 */
export const registrationArea: WebArea = async (app, { services, rateLimits }) => {
  app.get("/register", { config: { access: "public" } }, async (request, reply) =>
    render(reply, <RegisterPage view={request.view} />),
  );

  app.post(
    "/register",
    { config: { access: "public", rateLimit: rateLimits.registration, formChecksText: true } },
    async (request, reply) => {
      const view = request.view;
      const values = registrationValues(request);
      const { registrationNumber, ...organization } = values;
      const unstorable = controlCharacterErrors(view, values, ["address"]);
      if (Object.keys(unstorable.fields).length > 0) {
        return render(reply, <RegisterPage view={view} values={values} errors={unstorable} />, 400);
      }
      try {
        const registered = await services.registrations.register(
          { registrationNumber, pin: formField(request, "pin"), organization },
          request.ip,
        );
        // The password is shown in this answer only (pages are never cached): no redirect may carry it.
        return render(reply, <RegisteredPage view={view} {...registered} />);
      } catch (error) {
        const errors = pinRegistrationErrors(view, error);
        if (!errors) throw error;
        return render(
          reply,
          <RegisterPage view={view} values={values} errors={errors} />,
          formErrorStatus(error),
        );
      }
    },
  );

  app.get("/sign-up", { config: { access: "public" } }, async (request, reply) =>
    render(reply, <SignUpPage view={request.view} />),
  );

  app.post(
    "/sign-up",
    { config: { access: "public", rateLimit: rateLimits.registration, formChecksText: true } },
    async (request, reply) => {
      const view = request.view;
      const values = { login: formField(request, "login").trim(), email: formField(request, "email").trim() };
      const password = formField(request, "password");
      const found = signUpProblems(view, values, password, formField(request, "passwordAgain"));
      Object.assign(found.fields, controlCharacterErrors(view, values).fields);
      if (Object.keys(found.fields).length > 0) {
        return render(reply, <SignUpPage view={view} values={values} errors={found} />, 400);
      }
      let user: Awaited<ReturnType<typeof services.registrations.createAccount>>;
      try {
        user = await services.registrations.createAccount({ ...values, password });
      } catch (error) {
        const errors = signUpErrors(view, error);
        if (!errors) throw error;
        return render(
          reply,
          <SignUpPage view={view} values={values} errors={errors} />,
          formErrorStatus(error),
        );
      }
      // Signed in at once, in a fresh session: a secret planted before is never promoted.
      const previous = request.cookies[COOKIES.session];
      if (previous) await services.sessions.end(previous);
      const { secret } = await services.sessions.start(user, request.headers["user-agent"] ?? null);
      setSessionCookie(reply, secret, services.sessions.maxMinutes);
      return reply.redirect("/account/products/add?welcome=1", 303);
    },
  );
};
