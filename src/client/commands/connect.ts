/** connect, status and disconnect: the saved connection to a server or a mirror. */
import { hostname } from "node:os";
import { ApiClient, isApiError } from "../api.ts";
import { ClientError, EXIT } from "../errors.ts";
import {
  forgetConfig,
  isMirrorServer,
  loadConfig,
  metadataDir,
  normalizeServer,
  saveConfig,
} from "../home.ts";
import type { Output } from "../output.ts";
import { openSession } from "../session.ts";
import { ServerSource } from "../source.ts";
import { trustOnFirstUse } from "../tuf.ts";
import type { Me, MyProduct } from "../types.ts";

/** Revokes a device token, ignoring every failure. */
async function revokeQuietly(server: string, token: string): Promise<void> {
  await new ApiClient(server, token).revokeToken().catch(() => false);
}

export async function connect(
  out: Output,
  options: { server: string; login?: string; name?: string },
  readPassword: () => Promise<string>,
): Promise<void> {
  const server = normalizeServer(options.server);
  if (isMirrorServer(server)) {
    const how = await trustOnFirstUse(server, metadataDir(server));
    saveConfig({
      server,
      login: null,
      token: null,
      tokenName: null,
      expiresAt: null,
      connectedAt: new Date().toISOString(),
    });
    out.note(`Using the mirror ${server} (signing keys ${how}).`, "connected", { server, mirror: true });
    return;
  }
  if (!options.login) throw new ClientError("connect needs --login for a server.", EXIT.usage);
  const password = await readPassword();
  const name = options.name ?? `upkeep-client@${hostname()}`;
  const anonymous = new ApiClient(server, null);
  let issued: { token: string; expiresAt: string };
  try {
    issued = await anonymous.json(
      "POST",
      "/api/v1/auth/token",
      { login: options.login, password, name },
      "Signing in",
    );
  } catch (error) {
    if (isApiError(error, 401)) {
      throw new ClientError(
        `${server} refused the login ${options.login}: ${(error.problem.detail ?? "wrong login or password").replace(/\.$/, "")}.`,
        EXIT.auth,
        "login_refused",
      );
    }
    throw error;
  }
  const previous = loadConfig();
  let how: string;
  try {
    how = await trustOnFirstUse(server, metadataDir(server));
  } catch (error) {
    await revokeQuietly(server, issued.token);
    throw error;
  }
  if (previous?.token && previous.server !== server) {
    await revokeQuietly(previous.server, previous.token);
  }
  saveConfig({
    server,
    login: options.login,
    token: issued.token,
    tokenName: name,
    expiresAt: issued.expiresAt,
    connectedAt: new Date().toISOString(),
  });
  out.note(
    `Connected to ${server} as ${options.login} (device token "${name}", valid until ${issued.expiresAt}; ` +
      `signing keys ${how === "trusted" ? "trusted on first use" : "already trusted"}).`,
    "connected",
    { server, login: options.login, tokenName: name, expiresAt: issued.expiresAt },
  );
}

export async function status(out: Output, options: { server?: string }): Promise<void> {
  const { source, config } = openSession(options);
  if (!(source instanceof ServerSource)) {
    const configurations = await source.configurations();
    out.note(
      `Using the mirror ${source.server}: ${configurations.map((c) => c.code).join(", ") || "empty"}.`,
      "status",
      {
        server: source.server,
        mirror: true,
        configurations: configurations.map((c) => c.code),
      },
    );
    return;
  }
  const api = source.api;
  const me = await api.json<Me>("GET", "/api/v1/me");
  let products: unknown[] | null = null;
  try {
    products = await api.json<unknown[]>("GET", "/api/v1/me/products");
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
  }
  out.info(`Server:   ${source.server}`);
  out.info(`Account:  ${me.login} (${me.role})${me.email ? ` <${me.email}>` : ""}`);
  if (config?.expiresAt) out.info(`Token:    ${config.tokenName ?? "?"}, valid until ${config.expiresAt}`);
  if (products === null) out.info("Products: (this server does not list products yet)");
  else if (products.length === 0) out.info("Products: none registered");
  else {
    out.info("Products:");
    // Read loosely: a server of another version may send fewer fields.
    for (const product of products as Partial<MyProduct>[]) {
      const configurations = product.configurations?.length
        ? `  configurations ${product.configurations.join(", ")}`
        : "";
      const support = product.support
        ? `  support ${product.support.coveredThisMonth ? "active" : "not active"}${product.support.until ? ` until ${product.support.until}` : ""}`
        : "";
      out.info(
        `  ${product.registrationNumber ?? "?"}  ${product.product ?? "?"}${product.edition ? ` (${product.edition})` : ""}${configurations}${support}`,
      );
    }
  }
  out.event("status", {
    server: source.server,
    account: me,
    products,
    tokenExpiresAt: config?.expiresAt ?? null,
  });
}

export async function disconnect(out: Output): Promise<void> {
  const config = loadConfig();
  if (!config) {
    out.note("Not connected.", "disconnected", { revoked: false });
    return;
  }
  const revoked =
    config.token && !isMirrorServer(config.server)
      ? await new ApiClient(config.server, config.token).revokeToken()
      : false;
  forgetConfig();
  out.note(
    `Disconnected from ${config.server}${revoked ? "; the device token was revoked" : ""}.`,
    "disconnected",
    { server: config.server, revoked },
  );
}
