/** The JSON API of an Upkeep server, with the client's error rules: 401 -> reconnect, no answer -> unreachable. */
import { ClientError, EXIT, reconnect, unreachable } from "./errors.ts";
import type { Problem } from "./types.ts";

export const USER_AGENT = "upkeep-client/0.1";

class ApiError extends ClientError {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    message: string,
  ) {
    super(message, status === 403 ? EXIT.entitlement : EXIT.failure, problem.code ?? `http_${status}`);
  }
}

export function isApiError(error: unknown, status: number): error is ApiError {
  return error instanceof ApiError && error.status === status;
}

export class ApiClient {
  constructor(
    readonly server: string,
    readonly token: string | null,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      "user-agent": USER_AGENT,
      accept: "application/json",
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  /** A raw fetch against the server with the token; network failures become exit code 5. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.server}${path}`, {
        ...init,
        headers: this.headers((init.headers as Record<string, string>) ?? {}),
        signal: init.signal ?? AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw unreachable(this.server, error);
    }
  }

  /** Maps a failed response to a ClientError, reading the problem body. */
  async failure(response: Response, what: string): Promise<ClientError> {
    let problem: Problem = {};
    try {
      problem = (await response.json()) as Problem;
    } catch {
      // not JSON
    }
    const detail = problem.detail ?? response.statusText;
    if (response.status === 401 && this.token)
      return reconnect(this.server, `${problem.code ?? "401"}: ${detail}`);
    return new ApiError(
      response.status,
      problem,
      `${what} failed: ${response.status} ${problem.code ? `${problem.code}: ` : ""}${detail}`,
    );
  }

  async json<T>(method: string, path: string, body?: unknown, what = `${method} ${path}`): Promise<T> {
    const response = await this.fetch(path, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : {}),
    });
    if (!response.ok) throw await this.failure(response, what);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw unreachable(this.server, error);
    }
  }

  /** Revokes this client's token on the server; false when the server no longer accepts it (401). */
  async revokeToken(): Promise<boolean> {
    const response = await this.fetch("/api/v1/auth/token", { method: "DELETE" });
    if (response.status === 204) return true;
    if (response.status === 401) return false;
    throw await this.failure(response, "Revoking the token");
  }
}
