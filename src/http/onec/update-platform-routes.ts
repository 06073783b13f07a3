/**
 * The update service of 1C programs and third-party downloaders, under `/update-platform/`
 * (src/services/onec/update-service.ts). Its errors are not problems: a 400 or 404 carries
 * `{timestamp, status, error, exception, message, path}`, and a refusal of a signed request is a
 * 200 with `errorName` and `errorMessage` (in the language of Accept-Language).
 */
import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import type { Services } from "../../services/index.ts";
import type { InfoRequest, UpdateRequest } from "../../services/onec/update-service.ts";
import { languageFromAcceptLanguage } from "../../web/i18n.ts";
import { enforceAccess } from "../auth.ts";

const STATUS_OF_KIND: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
};

const EXCEPTIONS: Record<number, string> = {
  400: "BadRequestException",
  404: "NotFoundException",
  413: "PayloadTooLargeException",
  415: "UnsupportedMediaTypeException",
};

function sendError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const status =
    error instanceof AppError
      ? (STATUS_OF_KIND[error.kind] ?? 400)
      : typeof error.statusCode === "number" && error.statusCode >= 400
        ? error.statusCode
        : 500;
  if (status >= 500) request.log.error({ err: error }, "update service request failed");
  const message =
    status >= 500
      ? "The service failed to answer; try again later."
      : "validation" in error && error.validation
        ? `The request body is not what ${request.url} takes: ${error.message}`
        : error.message;
  return reply.status(status).send({
    timestamp: new Date().toISOString().slice(0, 19),
    status,
    error: STATUS_CODES[status] ?? "Error",
    exception:
      EXCEPTIONS[status] ?? (status >= 500 ? "InternalServerErrorException" : "ClientErrorException"),
    message,
    path: request.url.split("?")[0],
  });
}

const text = { type: "string", maxLength: 256 } as const;
const nullableText = { type: ["string", "null"], maxLength: 256 } as const;
const parameters = {
  type: ["array", "null"],
  maxItems: 100,
  items: { type: "object", properties: { key: nullableText, value: nullableText } },
} as const;

const infoBody = {
  type: "object",
  required: ["programName", "versionNumber"],
  properties: {
    programName: text,
    versionNumber: text,
    platformVersion: nullableText,
    programNewName: nullableText,
    redactionNumber: nullableText,
    updateType: nullableText,
    additionalParameters: parameters,
  },
} as const;

const updateBody = {
  type: "object",
  required: ["login", "password"],
  properties: {
    upgradeSequence: { type: ["array", "null"], maxItems: 1000, items: text },
    programVersionUin: nullableText,
    platformDistributionUin: nullableText,
    login: { type: "string", maxLength: 1024 },
    password: { type: "string", maxLength: 1024 },
    additionalParameters: parameters,
  },
} as const;

const platformBody = {
  type: "object",
  required: ["programName", "versionNumber"],
  properties: { programName: text, versionNumber: text },
} as const;

export const UPDATE_PLATFORM_PREFIX = "/update-platform";

const string = { type: "string" } as const;
const integer = { type: "integer" } as const;

/** The answer of programs/update/info, for Fastify's serializer: keys in the protocol's order. */
const infoResponse = {
  200: {
    // No `required`: the serializer would write required keys first, out of the protocol's order.
    type: "object",
    properties: {
      configurationUpdateResponse: {
        type: "object",
        properties: {
          configurationVersion: string,
          size: integer,
          platformVersion: string,
          updateInfoUrl: string,
          howToUpdateInfoUrl: string,
          upgradeSequence: { type: "array", items: string },
          programVersionUin: string,
        },
      },
      platformUpdateResponse: {
        type: "object",
        properties: {
          platformVersion: string,
          transitionInfoUrl: string,
          releaseUrl: string,
          distributionUin: string,
          size: integer,
          recommended: { type: "boolean" },
        },
      },
      additionalReleaseUpdate: { type: "array", items: { type: "object", additionalProperties: true } },
    },
  },
} as const;

const patchesInfoBody = {
  type: "object",
  properties: {
    programVersionList: {
      type: ["array", "null"],
      maxItems: 100,
      items: { type: "object", properties: { programName: nullableText, versionNumber: nullableText } },
    },
    installedPatchesList: { type: ["array", "null"], maxItems: 1000, items: text },
  },
} as const;

const patchFilesBody = {
  type: "object",
  properties: { patchUinList: { type: ["array", "null"], maxItems: 1000, items: text } },
} as const;

const language = (request: FastifyRequest) =>
  languageFromAcceptLanguage(request.headers["accept-language"] as string | undefined);

/** Registered with the prefix UPDATE_PLATFORM_PREFIX, so its not-found answers take the protocol's shape too. */
export function updatePlatformRoutes(services: Services) {
  return async (scope: FastifyInstance) => {
    scope.addHook("onRoute", enforceAccess);
    scope.setErrorHandler(sendError);
    scope.setNotFoundHandler((request, reply) =>
      sendError(new AppError("not_found", "not_found", `There is no ${request.url}.`), request, reply),
    );
    const route = { hide: true } as const;
    const updates = services.onecUpdates;

    scope.get(`/programs/update/ping`, { schema: route, config: { access: "public" } }, async () => ({
      status: "ok",
    }));

    scope.post<{ Body: InfoRequest }>(
      `/programs/update/info`,
      { schema: { ...route, body: infoBody, response: infoResponse }, config: { access: "public" } },
      // The answer kept for the same request goes out without a promise, as the plan route's does.
      (request, reply) => {
        const kept = updates.keptInfo(request.body);
        return kept ? reply.send(kept) : updates.info(request.body);
      },
    );

    // The account is the body's login and password: a wrong one is a 200 with LoginError, not a 401.
    // Clients write the path with and without its final slash.
    for (const path of ["/programs/update/", "/programs/update"]) {
      scope.post<{ Body: UpdateRequest }>(
        path,
        { schema: { ...route, body: updateBody }, config: { access: "public" } },
        (request) => updates.update(request.body, language(request)),
      );
    }

    scope.post<{ Body: { programName: string; versionNumber: string } }>(
      `/platform/getInfo`,
      { schema: { ...route, body: platformBody }, config: { access: "public" } },
      (request) => updates.platformInfo(request.body),
    );

    // Patches staff published (src/services/onec/patches.ts); their files are fetched with HTTP Basic.
    scope.post<{ Body: { programVersionList?: unknown; installedPatchesList?: unknown } }>(
      `/patches/getInfo`,
      { schema: { ...route, body: patchesInfoBody }, config: { access: "public" } },
      async (request) => ({ patchUpdateList: await services.onecPatches.updates(request.body) }),
    );
    scope.post<{ Body: { patchUinList?: unknown } }>(
      `/patches/getFiles`,
      { schema: { ...route, body: patchFilesBody }, config: { access: "public" } },
      async (request) => ({ patchDistributionDataList: await services.onecPatches.files(request.body) }),
    );
  };
}
