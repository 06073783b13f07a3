import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, type ProblemKind } from "../domain/errors.ts";

const STATUS: Record<ProblemKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  range_not_satisfiable: 416,
  too_many_requests: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  416: "Range not satisfiable",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  const problem: Problem = {
    type: `/api/problems/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    code,
    detail,
    instance: reply.request.url,
    ...extra,
  };
  if (status === 401) reply.header("WWW-Authenticate", 'Bearer realm="upkeep"');
  return reply
    .status(status)
    .type("application/problem+json; charset=utf-8")
    .serializer(JSON.stringify)
    .send(problem);
}

/** Stable names for the framework's own client errors (malformed JSON, wrong media type, too large). */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid_content_length",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
};

function frameworkCode(code: string | undefined): string {
  if (!code) return "bad_request";
  return FRAMEWORK_CODES[code] ?? code.replace(/^FST_ERR_/, "").toLowerCase();
}

/** Every error leaves as RFC 9457 problem+json with a stable `code`. */
export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return sendProblem(reply, STATUS[error.kind], error.code, error.message, error.details);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const errors = fastifyError.validation.map((v) => ({
        path: `${fastifyError.validationContext ?? "body"}${v.instancePath}`,
        message: v.message ?? "is invalid",
      }));
      const detail = errors.map((e) => `${e.path} ${e.message}`).join("; ");
      return sendProblem(reply, 400, "validation_failed", detail, { errors });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return sendProblem(
        reply,
        status,
        "internal_error",
        "Something went wrong on the server; it has been logged.",
      );
    }
    return sendProblem(reply, status, frameworkCode(fastifyError.code), fastifyError.message);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, "not_found", `There is nothing at ${request.method} ${request.url}.`),
  );
}
