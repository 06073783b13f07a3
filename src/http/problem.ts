import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
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
  408: "Request timeout",
  409: "Conflict",
  413: "Payload too large",
  414: "URI too long",
  415: "Unsupported media type",
  416: "Range not satisfiable",
  422: "Unprocessable content",
  429: "Too many requests",
  431: "Request header fields too large",
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

const PROBLEM_MEDIA_TYPE = "application/problem+json; charset=utf-8";

function problemOf(
  status: number,
  code: string,
  detail: string,
  instance?: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `/api/problems/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    code,
    detail,
    ...(instance === undefined ? {} : { instance }),
    ...extra,
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  const problem = problemOf(status, code, detail, reply.request.url, extra);
  if (status === 401) reply.header("WWW-Authenticate", 'Bearer realm="upkeep"');
  // Also set by the API's request hook, but some errors are answered before any hook runs.
  reply.header("x-content-type-options", "nosniff");
  return reply.status(status).type(PROBLEM_MEDIA_TYPE).serializer(JSON.stringify).send(problem);
}

/** Stable names for the framework's own client errors (malformed JSON, wrong media type, too large, bad URL). */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_BAD_URL: "bad_url",
  FST_ERR_MAX_PARAM_LENGTH: "path_parameter_too_long",
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

/**
 * The framework's own errors, and those the router meets before any route or hook runs (a URL
 * that does not decode, a path parameter over the router's limit: Fastify's `frameworkErrors`).
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, "request failed");
    return sendProblem(
      reply,
      status,
      "internal_error",
      "Something went wrong on the server; it has been logged.",
    );
  }
  return sendProblem(reply, status, frameworkCode(error.code), error.message);
}

/** The HTTP parser's errors, by llhttp or Node code: status, stable code and what went wrong. */
const PARSER_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, "headers_too_large", "The request's header fields are too large."],
  HPE_INVALID_HEADER_TOKEN: [400, "invalid_header", "A header field holds a character HTTP does not allow."],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request did not arrive in time."],
};
const MALFORMED: [number, string, string] = [400, "malformed_request", "The request is not valid HTTP/1.1."];

/**
 * Answers a request the HTTP parser refused, before Fastify ever sees it (Fastify's
 * `clientErrorHandler`): a whole HTTP/1.1 response written to the socket, which is then closed.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Duplex) {
  // A reset connection has nobody left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, detail] = PARSER_ERRORS[error.code ?? ""] ?? MALFORMED;
  this.log.trace({ err: error }, "client error");
  if (socket.writable) {
    const body = JSON.stringify(problemOf(status, code, detail));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "X-Content-Type-Options: nosniff\r\n" +
        "Connection: close\r\n\r\n" +
        body,
    );
  }
  socket.destroy(error);
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
    return sendFrameworkError(fastifyError, request, reply);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, "not_found", `There is nothing at ${request.method} ${request.url}.`),
  );
}
