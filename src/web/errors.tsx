import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../domain/errors.ts";
import { Layout } from "./layout.tsx";
import { render } from "./render.tsx";
import type { ViewContext } from "./view.ts";

/** The kinds of error page, each with its own text in the `errors` namespace. */
export type ErrorPageKind = "notFound" | "forbidden" | "csrf" | "tooManyRequests" | "badRequest" | "server";

const STATUS: Record<ErrorPageKind, number> = {
  notFound: 404,
  forbidden: 403,
  csrf: 403,
  tooManyRequests: 429,
  badRequest: 400,
  server: 500,
};

function texts(view: ViewContext, kind: ErrorPageKind): { title: string; text: string } {
  const { t } = view;
  switch (kind) {
    case "notFound":
      return { title: t("errors:notFound.title"), text: t("errors:notFound.text") };
    case "forbidden":
      return { title: t("errors:forbidden.title"), text: t("errors:forbidden.text") };
    case "csrf":
      return { title: t("errors:csrf.title"), text: t("errors:csrf.text") };
    case "tooManyRequests":
      return { title: t("errors:tooManyRequests.title"), text: t("errors:tooManyRequests.text") };
    case "badRequest":
      return { title: t("errors:badRequest.title"), text: t("errors:badRequest.text") };
    case "server":
      return { title: t("errors:server.title"), text: t("errors:server.text") };
  }
}

export function ErrorPage({ view, kind }: { view: ViewContext; kind: ErrorPageKind }) {
  const { title, text } = texts(view, kind);
  return (
    <Layout view={view} title={title}>
      <div class="error-page">
        <p class="error-status">{STATUS[kind]}</p>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a class="button" href="/">
            {view.t("errors:backHome")}
          </a>
        </p>
      </div>
    </Layout>
  );
}

export function renderErrorPage(reply: FastifyReply, view: ViewContext, kind: ErrorPageKind) {
  return render(reply, <ErrorPage view={view} kind={kind} />, STATUS[kind]);
}

/** Which page an error shows; null for "sign in first", which redirects to the sign-in form. */
export function errorPageKind(error: FastifyError | AppError): ErrorPageKind | null {
  if (error instanceof AppError) {
    switch (error.kind) {
      case "unauthorized":
        return null;
      case "forbidden":
        return "forbidden";
      case "not_found":
        return "notFound";
      case "too_many_requests":
        return "tooManyRequests";
      case "unavailable":
        return "server";
      default:
        return "badRequest";
    }
  }
  if (error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET") return "csrf";
  const status = error.statusCode ?? 500;
  if (status === 404) return "notFound";
  if (status === 429) return "tooManyRequests";
  return status >= 500 ? "server" : "badRequest";
}

/** The sign-in form, coming back here afterwards (GET pages only: a form's POST cannot be repeated). */
export function signInRedirect(request: FastifyRequest, reply: FastifyReply, view: ViewContext) {
  const next = request.method === "GET" ? view.path : "/";
  return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
}
