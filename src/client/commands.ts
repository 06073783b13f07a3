/** The client's commands; main.ts wires them to the command line. */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Updater } from "tuf-js";
import { normalizeVersion, versionToUnderscore } from "../domain/version.ts";
import { ApiClient, ApiError } from "./api.ts";
import { copyFromMirror, discardPart, downloadDistribution, partPaths } from "./download.ts";
import { ClientError, EXIT, verificationFailed } from "./errors.ts";
import { downloadsDir, forgetConfig, loadConfig, metadataDir, normalizeServer, saveConfig } from "./home.ts";
import { formatBytes, type Output } from "./output.ts";
import { isMirrorServer, openSession, openVerifiedUpdater, type Session } from "./session.ts";
import {
  MIRROR_INDEX,
  type MirrorConfiguration,
  type MirrorIndex,
  mirrorPaths,
  ServerSource,
} from "./source.ts";
import {
  checkFolderName,
  installPackage,
  isInstalled,
  planTemplates,
  scanTemplates,
  sweepTemporaryFolders,
  templateFolder,
} from "./templates.ts";
import {
  earliestExpiry,
  fetchMetadata,
  targetCustom,
  targetInfo,
  targetSha256,
  trustOnFirstUse,
  verifyFile,
} from "./tuf.ts";
import type { Configuration, Plan, PlanStep } from "./types.ts";

/** `<configuration>/<x_y_z_w>/<kind>/<fileName>`, as the server names TUF targets. */
export function targetPath(configuration: string, version: string, kind: string, fileName: string): string {
  return `${configuration}/${versionToUnderscore(version)}/${kind}/${fileName}`;
}

// ---------------------------------------------------------------- connect, status, disconnect

/** GET /api/v1/me/products (read loosely: another part of the service defines it). */
interface MyProduct {
  registrationNumber?: string;
  product?: string;
  edition?: string;
  configurations?: string[];
  support?: { coveredThisMonth: boolean; until: string | null };
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
    if (error instanceof ApiError && error.status === 401) {
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
    await new ApiClient(server, issued.token)
      .fetch("/api/v1/auth/token", { method: "DELETE" })
      .catch(() => undefined);
    throw error;
  }
  if (previous?.token && previous.server !== server) {
    await new ApiClient(previous.server, previous.token)
      .fetch("/api/v1/auth/token", { method: "DELETE" })
      .catch(() => undefined);
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
  const session = openSession(options);
  if (!(session.source instanceof ServerSource)) {
    const configurations = await session.source.configurations();
    out.note(
      `Using the mirror ${session.server}: ${configurations.map((c) => c.code).join(", ") || "empty"}.`,
      "status",
      {
        server: session.server,
        mirror: true,
        configurations: configurations.map((c) => c.code),
      },
    );
    return;
  }
  const api = session.source.api;
  const me = await api.json<{ login: string; role: string; email: string | null }>("GET", "/api/v1/me");
  let products: unknown[] | null = null;
  try {
    products = await api.json<unknown[]>("GET", "/api/v1/me/products");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const config = loadConfig();
  out.info(`Server:   ${session.server}`);
  out.info(`Account:  ${me.login} (${me.role})${me.email ? ` <${me.email}>` : ""}`);
  if (config?.expiresAt) out.info(`Token:    ${config.tokenName ?? "?"}, valid until ${config.expiresAt}`);
  if (products === null) out.info("Products: (this server does not list products yet)");
  else if (products.length === 0) out.info("Products: none registered");
  else {
    out.info("Products:");
    for (const product of products as MyProduct[]) {
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
    server: session.server,
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
  let revoked = false;
  if (config.token && !isMirrorServer(config.server)) {
    const api = new ApiClient(config.server, config.token);
    const response = await api.fetch("/api/v1/auth/token", { method: "DELETE" });
    if (response.status === 204) revoked = true;
    else if (response.status !== 401) throw await api.failure(response, "Revoking the token");
  }
  forgetConfig();
  out.note(
    `Disconnected from ${config.server}${revoked ? "; the device token was revoked" : ""}.`,
    "disconnected",
    { server: config.server, revoked },
  );
}

// ---------------------------------------------------------------- check

interface PlanOptions {
  server?: string;
  configuration: string;
  version: string;
  platform?: string;
  target?: string;
}

async function fetchPlan(session: Session, options: PlanOptions): Promise<Plan> {
  return session.source.plan({
    configuration: options.configuration,
    version: options.version,
    ...(options.platform ? { platformVersion: options.platform } : {}),
    ...(options.target ? { target: options.target } : {}),
  });
}

function entitlementError(plan: Plan): ClientError {
  return new ClientError(
    `This account may not download updates of ${plan.configuration}: ${plan.download.code ?? "not_entitled"}: ` +
      `${plan.download.detail ?? "no entitlement"}${plan.download.month ? ` (month ${plan.download.month})` : ""}`,
    EXIT.entitlement,
    plan.download.code ?? "not_entitled",
  );
}

function describePlan(out: Output, plan: Plan, platform: string | undefined): void {
  const headline = {
    "up-to-date": "up to date",
    "update-available": `update available to ${plan.to}`,
    "no-path": `no update path to ${plan.to}`,
  }[plan.status];
  out.info(`${plan.configuration} ${plan.from}: ${headline}`);
  if (plan.steps.length > 0) {
    out.info(`Steps (${plan.steps.length}):`);
    plan.steps.forEach((step, index) => {
      const size = step.distribution ? formatBytes(step.distribution.size) : "no update file";
      const platformText = step.minPlatformVersion
        ? `platform >= ${step.minPlatformVersion}`
        : "any platform";
      out.info(`  ${index + 1}. ${step.version}  ${size}  ${platformText}  (released ${step.releasedOn})`);
    });
    out.info(`Total download: ${formatBytes(plan.totalSize)}`);
  }
  if (plan.platformUpgrade) {
    out.info(
      `Platform update needed first: the chain needs platform ${plan.platformUpgrade.requiredVersion}, ` +
        `installed ${platform}.`,
    );
  } else if (platform && plan.steps.length > 0) {
    out.info(`Platform ${platform} is recent enough for every step.`);
  }
}

export async function check(out: Output, options: PlanOptions): Promise<number> {
  const session = openSession(options);
  const plan = await fetchPlan(session, options);
  const whatsNew: { version: string; releaseId: string; whatsNew: string | null }[] = [];
  for (const step of plan.steps) {
    const release = await session.source.release(step.releaseId);
    whatsNew.push({
      version: step.version,
      releaseId: step.releaseId,
      whatsNew: release.documents?.whatsNew ?? null,
    });
  }
  describePlan(out, plan, options.platform);
  if (whatsNew.length > 0) {
    out.info("");
    out.info("What's new:");
    for (const entry of whatsNew) {
      out.info("");
      out.info(`## ${entry.version}`);
      out.info(entry.whatsNew?.trim() || "(no description)");
    }
  }
  out.event("plan", { plan, whatsNew });
  if (!plan.download.allowed) {
    const error = entitlementError(plan);
    out.info("");
    out.info(error.message);
    out.event("not-allowed", {
      code: plan.download.code,
      detail: plan.download.detail,
      month: plan.download.month,
    });
    return EXIT.entitlement;
  }
  return plan.status === "no-path" ? EXIT.failure : EXIT.ok;
}

// ---------------------------------------------------------------- download

interface Fetched {
  readonly step: PlanStep;
  readonly file: string;
  readonly folder: string;
}

/** Downloads (resuming), verifies against the TUF target; returns the verified complete file. */
async function fetchVerified(
  out: Output,
  session: Session,
  updater: Updater,
  path: string,
  expectedSize: number,
  expectedSha256: string,
  fallbackId: string,
  destination: string,
  label: string,
): Promise<string> {
  const info = await targetInfo(updater, session.server, path);
  if (info.length !== expectedSize || targetSha256(info) !== expectedSha256) {
    throw verificationFailed(
      `the server's catalogue and its signed metadata disagree about ${path} ` +
        `(catalogue: ${expectedSize} bytes, sha256 ${expectedSha256}; signed: ${info.length} bytes, sha256 ${targetSha256(info)})`,
    );
  }
  if (existsSync(destination)) {
    try {
      await verifyFile(info, destination);
      out.note(`  ${label}: already downloaded and verified`, "verified", { label, path, cached: true });
      return destination;
    } catch {
      rmSync(destination, { force: true });
    }
  }
  const expected = { length: info.length, sha256: targetSha256(info) };
  const progress = out.progress(label);
  let result: { resumedFrom: number; status: number };
  if (session.source instanceof ServerSource) {
    const distributionId = targetCustom(info).distributionId ?? fallbackId;
    result = await downloadDistribution(session.source.api, distributionId, destination, expected, progress);
  } else {
    result = await copyFromMirror(session.server, path, destination, expected, progress);
  }
  progress.finish();
  const { part, state } = partPaths(destination);
  try {
    await verifyFile(info, part);
  } catch (error) {
    discardPart(destination);
    out.event("refused", { label, path, reason: (error as Error).message });
    throw error;
  }
  renameSync(part, destination);
  rmSync(state, { force: true });
  out.note(`  ${label}: verified (sha256 ${expected.sha256})`, "verified", {
    label,
    path,
    sha256: expected.sha256,
    bytes: expected.length,
    resumedFrom: result.resumedFrom,
  });
  return destination;
}

interface DownloadOptions extends PlanOptions {
  templates: string;
  force?: boolean;
}

export async function download(out: Output, options: DownloadOptions): Promise<number> {
  const session = openSession(options);
  const templates = resolve(options.templates);
  const configuration: Configuration = await session.source.configuration(options.configuration);
  // The vendor and code name folders of the templates directory but are not signed: plain names only.
  const origin = session.isMirror ? `the mirror's ${MIRROR_INDEX}` : `the server ${session.server}`;
  checkFolderName("vendor", configuration.vendor, origin);
  checkFolderName("configuration code", configuration.code, origin);
  const plan = await fetchPlan(session, options);
  out.event("plan", { plan });
  checkFolderName("configuration code", plan.configuration, origin);
  if (plan.configuration !== configuration.code) {
    throw verificationFailed(
      `${origin} planned ${JSON.stringify(plan.configuration)} when asked for ${configuration.code}`,
    );
  }
  if (!plan.download.allowed) throw entitlementError(plan);
  if (plan.status === "up-to-date") {
    out.note(`${plan.configuration} ${plan.from} is up to date.`, "done", { installed: [] });
    return EXIT.ok;
  }
  if (plan.status === "no-path") {
    throw new ClientError(
      `There is no chain of updates from ${plan.from} to ${plan.to} for ${plan.configuration}.`,
    );
  }
  mkdirSync(templates, { recursive: true });
  sweepTemporaryFolders(templates, configuration.vendor, plan.configuration);
  const wanted = plan.steps.map((step) => ({
    step,
    folder: templateFolder(templates, configuration.vendor, plan.configuration, step.version),
  }));
  const missing = wanted.filter(({ step, folder }) => options.force || !isInstalled(folder, step.version));
  for (const { step } of missing) {
    if (!step.distribution) {
      throw new ClientError(
        `Release ${step.version} of ${plan.configuration} has no update distribution to download.`,
      );
    }
  }
  out.info(
    `Downloading ${missing.length} of ${plan.steps.length} step(s) of ${plan.configuration} ${plan.from} -> ${plan.to} ` +
      `into ${join(templates, configuration.vendor, plan.configuration)}`,
  );
  if (missing.length === 0) {
    out.note("Every step is already in the templates directory.", "done", { installed: [] });
    return EXIT.ok;
  }
  const updater = await openVerifiedUpdater(session, (text) => out.info(text));
  const cache = downloadsDir(session.server);
  // Every file is downloaded and verified before the first is unpacked: a refusal installs nothing.
  const fetched: Fetched[] = [];
  try {
    for (const { step, folder } of missing) {
      const distribution = step.distribution!;
      const path = targetPath(plan.configuration, step.version, distribution.kind, distribution.fileName);
      const file = await fetchVerified(
        out,
        session,
        updater,
        path,
        distribution.size,
        distribution.sha256,
        distribution.id,
        join(cache, path),
        step.version,
      );
      fetched.push({ step, file, folder });
    }
  } finally {
    out.close();
  }
  const installed: string[] = [];
  for (const { step, file, folder } of fetched) {
    const files = await installPackage(file, folder, step.version, templates);
    rmSync(file, { force: true });
    installed.push(step.version);
    out.note(`Installed ${step.version} into ${folder} (${files.length} files)`, "installed", {
      version: step.version,
      folder,
      files,
    });
  }
  out.note(`Done: ${plan.configuration} templates now reach ${plan.to}.`, "done", { installed, to: plan.to });
  return EXIT.ok;
}

// ---------------------------------------------------------------- templates, update

export function templates(
  out: Output,
  options: { templates: string; configuration: string; version: string; target?: string; platform?: string },
): number {
  const root = resolve(options.templates);
  const folders = scanTemplates(root, options.configuration);
  out.info(`Templates of ${options.configuration} in ${root}:`);
  if (folders.length === 0) out.info("  (none)");
  for (const folder of folders) {
    const info = folder.info;
    const from = info?.fromVersions.length ? `from ${info.fromVersions.join(", ")}` : "";
    const date = info?.updateDate ? `dated ${info.updateDate}` : "";
    const problem = folder.problem ? `UNUSABLE: ${folder.problem}` : "";
    out.info(
      `  ${folder.folderVersion}  ${folder.vendor}  ${[from, date, problem].filter(Boolean).join("  ")}`,
    );
  }
  const plan = planTemplates(folders, {
    from: options.version,
    ...(options.target ? { target: options.target } : {}),
    ...(options.platform ? { platformVersion: options.platform } : {}),
  });
  out.info("");
  if (plan.status === "up-to-date")
    out.info(`${plan.from} is up to date with the templates (newest ${plan.to ?? "none"}).`);
  else if (plan.status === "no-path")
    out.info(`No chain of templates leads from ${plan.from} to ${plan.to ?? "anything"}.`);
  else {
    out.info(`Chain from ${plan.from} to ${plan.to} (${plan.steps.length} step(s)):`);
    for (const [index, step] of plan.steps.entries()) {
      out.info(`  ${index + 1}. ${step.version}  ${step.release.folder.path}`);
    }
  }
  out.event("templates", {
    folders: folders.map((f) => ({
      vendor: f.vendor,
      path: f.path,
      version: f.folderVersion,
      fromVersions: f.info?.fromVersions ?? null,
      updateDate: f.info?.updateDate ?? null,
      problem: f.problem,
    })),
    plan: {
      status: plan.status,
      from: plan.from,
      to: plan.to,
      steps: plan.steps.map((s) => ({ version: s.version, folder: s.release.folder.path })),
    },
  });
  return plan.status === "no-path" ? EXIT.failure : EXIT.ok;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function run(command: string, env: Record<string, string>, json: boolean): Promise<number> {
  return new Promise((resolvePromise) => {
    // Child output must not mix into --json lines on stdout.
    const child = spawn(command, {
      shell: true,
      stdio: ["ignore", json ? process.stderr : "inherit", "inherit"],
      env: { ...process.env, ...env },
    });
    child.on("error", () => resolvePromise(127));
    child.on("exit", (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

interface UpdateRun {
  at: string;
  configuration: string;
  from: string;
  to: string | null;
  templates: string;
  backup: { command: string; exitCode: number | null };
  steps: { version: string; folder: string; exitCode: number; at: string }[];
  result: "applied" | "backup-failed" | "apply-failed" | "up-to-date";
}

export const UPDATE_LOG = "upkeep-update-log.json";

function record(root: string, entry: UpdateRun): void {
  const path = join(root, UPDATE_LOG);
  let log: UpdateRun[] = [];
  try {
    log = JSON.parse(readFileSync(path, "utf8")) as UpdateRun[];
  } catch {
    log = [];
  }
  log.push(entry);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(log, null, 2)}\n`);
  renameSync(temporary, path);
}

export async function update(
  out: Output,
  options: DownloadOptions & { backupCmd: string; applyCmd: string; download?: boolean },
): Promise<number> {
  const root = resolve(options.templates);
  if (options.download) {
    const code = await download(out, options);
    if (code !== EXIT.ok) return code;
  }
  const folders = scanTemplates(root, options.configuration);
  const plan = planTemplates(folders, {
    from: options.version,
    ...(options.target ? { target: options.target } : {}),
    ...(options.platform ? { platformVersion: options.platform } : {}),
  });
  const from = normalizeVersion(options.version);
  const entry: UpdateRun = {
    at: new Date().toISOString(),
    configuration: options.configuration,
    from,
    to: plan.to,
    templates: root,
    backup: { command: options.backupCmd, exitCode: null },
    steps: [],
    result: "up-to-date",
  };
  if (plan.status === "up-to-date") {
    out.note(`${options.configuration} ${from} is up to date with the templates; nothing to apply.`, "done", {
      applied: [],
    });
    return EXIT.ok;
  }
  if (plan.status === "no-path") {
    throw new ClientError(
      `The templates in ${root} hold no chain from ${from} to ${plan.to ?? "a newer version"}; run upkeep-client download first.`,
    );
  }
  if (plan.platformUpgrade) {
    throw new ClientError(
      `Update the platform to ${plan.platformUpgrade.requiredVersion} first (installed ${options.platform}); nothing was applied.`,
    );
  }
  const baseEnv = {
    UPKEEP_CONFIGURATION: options.configuration,
    UPKEEP_FROM_VERSION: from,
    UPKEEP_TO_VERSION: plan.to ?? "",
  };
  out.note(`Backing up: ${options.backupCmd}`, "backup", { command: options.backupCmd });
  const backupCode = await run(options.backupCmd, baseEnv, out.json);
  entry.backup.exitCode = backupCode;
  if (backupCode !== 0) {
    entry.result = "backup-failed";
    record(root, entry);
    throw new ClientError(
      `The backup failed (exit code ${backupCode}); nothing was applied.`,
      EXIT.failure,
      "backup_failed",
    );
  }
  let current = from;
  for (const step of plan.steps) {
    const folder = step.release.folder.path;
    out.note(`Applying ${step.version} from ${folder}`, "apply", { version: step.version, folder });
    const code = await run(
      `${options.applyCmd} ${shellQuote(folder)} ${shellQuote(step.version)}`,
      {
        ...baseEnv,
        UPKEEP_STEP_DIR: folder,
        UPKEEP_STEP_VERSION: step.version,
        UPKEEP_STEP_FROM: current,
      },
      out.json,
    );
    entry.steps.push({ version: step.version, folder, exitCode: code, at: new Date().toISOString() });
    if (code !== 0) {
      entry.result = "apply-failed";
      record(root, entry);
      throw new ClientError(
        `Applying ${step.version} failed (exit code ${code}); the configuration stays at ${current}. ` +
          "Later steps were not applied.",
        EXIT.failure,
        "apply_failed",
      );
    }
    current = step.version;
  }
  entry.result = "applied";
  record(root, entry);
  out.note(
    `Updated ${options.configuration} from ${from} to ${current} (${plan.steps.length} step(s)); logged in ${join(root, UPDATE_LOG)}.`,
    "done",
    {
      applied: entry.steps.map((s) => s.version),
      to: current,
    },
  );
  return EXIT.ok;
}

// ---------------------------------------------------------------- mirror

export async function mirror(
  out: Output,
  options: { server?: string; out: string; configuration?: string[] },
): Promise<number> {
  const session = openSession(options);
  if (!(session.source instanceof ServerSource))
    throw new ClientError("mirror copies from a server, not from another mirror.");
  const source = session.source;
  const root = resolve(options.out);
  const paths = mirrorPaths(root);
  mkdirSync(root, { recursive: true });
  const updater = await openVerifiedUpdater(session, (text) => out.info(text));
  const wanted = options.configuration?.length ? new Set(options.configuration) : null;
  const configurations: MirrorConfiguration[] = [];
  let copied = 0;
  let skipped = 0;
  try {
    for (const configuration of await source.configurations()) {
      if (wanted && !wanted.has(configuration.code)) continue;
      // Names of the mirror's files, and later of template folders: plain names only.
      checkFolderName("configuration code", configuration.code, `the server ${session.server}`);
      checkFolderName("vendor", configuration.vendor, `the server ${session.server}`);
      const releases = await source.releases(configuration.code);
      let verdict = {
        allowed: true,
        code: null as string | null,
        detail: null as string | null,
        month: null as string | null,
      };
      for (const release of releases) {
        checkFolderName("release id", release.id, `the server ${session.server}`);
        const full = await source.release(release.id);
        mkdirSync(join(root, "releases"), { recursive: true });
        writeFileSync(paths.release(release.id), JSON.stringify(full, null, 2));
        if (!verdict.allowed) continue;
        for (const distribution of release.distributions) {
          const path = targetPath(
            configuration.code,
            release.version,
            distribution.kind,
            distribution.fileName,
          );
          const destination = paths.target(path);
          try {
            await fetchVerified(
              out,
              session,
              updater,
              path,
              distribution.size,
              distribution.sha256,
              distribution.id,
              destination,
              `${configuration.code} ${release.version} ${distribution.kind}`,
            );
            copied++;
          } catch (error) {
            if (error instanceof ApiError && error.status === 403) {
              verdict = {
                allowed: false,
                code: error.problem.code ?? "forbidden",
                detail: error.problem.detail ?? null,
                month: null,
              };
              out.note(
                `  ${configuration.code}: not downloadable for this account (${verdict.code}); skipped.`,
                "skipped",
                { configuration: configuration.code, code: verdict.code },
              );
              skipped++;
              break;
            }
            throw error;
          }
        }
      }
      mkdirSync(join(root, "configurations", configuration.code), { recursive: true });
      writeFileSync(paths.releases(configuration.code), JSON.stringify(releases, null, 2));
      configurations.push({ ...configuration, download: verdict });
    }
  } finally {
    out.close();
  }
  // The metadata last, the verified copies tuf-js keeps, plus the chain of roots for first-time clients.
  mkdirSync(paths.tuf, { recursive: true });
  const dir = metadataDir(session.server);
  for (let version = 1; ; version++) {
    const bytes = await fetchMetadata(session.server, `${version}.root.json`);
    if (bytes === null) break;
    writeFileSync(join(paths.tuf, `${version}.root.json`), bytes);
  }
  for (const name of ["root.json", "timestamp.json", "snapshot.json", "targets.json"]) {
    writeFileSync(join(paths.tuf, `${name}.tmp`), readFileSync(join(dir, name)));
    renameSync(join(paths.tuf, `${name}.tmp`), join(paths.tuf, name));
  }
  const index: MirrorIndex = {
    format: 1,
    createdAt: new Date().toISOString(),
    server: session.server,
    configurations,
  };
  writeFileSync(paths.index, JSON.stringify(index, null, 2));
  const expires = earliestExpiry(paths.tuf, ["timestamp.json", "snapshot.json", "targets.json", "root.json"]);
  out.info(
    `The mirror's signed metadata expires at ${expires?.toISOString() ?? "(unknown)"} (the server signs it ` +
      "for about a day); after that clients refuse the mirror until it is refreshed: run " +
      `upkeep-client mirror --out ${root} again.`,
  );
  out.note(
    `Mirror of ${session.server} written to ${root}: ${configurations.length} configuration(s), ${copied} file(s)` +
      `${skipped ? `, ${skipped} configuration(s) not downloadable` : ""}. Use it with --server file://${root}`,
    "done",
    {
      out: root,
      configurations: configurations.map((c) => c.code),
      files: copied,
      expiresAt: expires?.toISOString() ?? null,
    },
  );
  return EXIT.ok;
}
