import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/** One `Set-Cookie` header, parsed: its value and attributes (lower-case names). */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: Record<string, string | true>;
}

export function setCookies(response: LightMyRequestResponse): SetCookie[] {
  const header = response.headers["set-cookie"];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((line) => {
    const [pair = "", ...rest] = line.split(";");
    const index = pair.indexOf("=");
    const attributes: Record<string, string | true> = {};
    for (const part of rest) {
      const [key = "", ...value] = part.trim().split("=");
      attributes[key.toLowerCase()] = value.length ? value.join("=") : true;
    }
    return { name: pair.slice(0, index).trim(), value: pair.slice(index + 1), attributes };
  });
}

/**
 * A browser's cookies over Fastify inject: pages requested through it send the cookies set so
 * far. `csrf` reads the token of the last page's forms.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  last: LightMyRequestResponse | undefined;

  constructor(
    private readonly t: { readonly app: FastifyInstance },
    private readonly headers: Record<string, string> = {},
  ) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of setCookies(response)) {
      const expired = cookie.attributes["max-age"] === "0" || cookie.value === "";
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    this.last = response;
    return response;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.t.app.inject({
      method: "GET",
      url,
      headers: { ...this.headers, ...this.cookieHeader(), ...headers },
    });
    return this.remember(response);
  }

  /** Posts a form as a browser would; `_csrf` is taken from the last page unless given. */
  async post(
    url: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.t.app.inject({
      method: "POST",
      url,
      headers: {
        ...this.headers,
        ...this.cookieHeader(),
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      payload: new URLSearchParams({ _csrf: this.csrf(), ...fields }).toString(),
    });
    return this.remember(response);
  }

  /** The CSRF token in the forms of the last page; "" if it had none. */
  csrf(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.last?.body ?? "")?.[1] ?? "";
  }
}
