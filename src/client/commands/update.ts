/** update: backs up, then applies the chain of local templates step by step, logging every run. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { countOf } from "../../domain/text.ts";
import { ClientError, EXIT } from "../errors.ts";
import { writeFileAtomically } from "../home.ts";
import type { Output } from "../output.ts";
import { planTemplates, scanTemplates } from "../templates.ts";
import { type DownloadOptions, download } from "./download.ts";

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
  result: "applied" | "backup-failed" | "apply-failed";
}

const UPDATE_LOG = "upkeep-update-log.json";

function record(root: string, entry: Omit<UpdateRun, "result">, result: UpdateRun["result"]): void {
  const path = join(root, UPDATE_LOG);
  let log: UpdateRun[] = [];
  try {
    log = JSON.parse(readFileSync(path, "utf8")) as UpdateRun[];
  } catch {
    log = [];
  }
  log.push({ ...entry, result });
  writeFileAtomically(path, `${JSON.stringify(log, null, 2)}\n`);
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
  const plan = planTemplates(folders, options);
  const { from } = plan;
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
      EXIT.failure,
      "platform_too_old",
    );
  }
  const entry: Omit<UpdateRun, "result"> = {
    at: new Date().toISOString(),
    configuration: options.configuration,
    from,
    to: plan.to,
    templates: root,
    backup: { command: options.backupCmd, exitCode: null },
    steps: [],
  };
  const baseEnv = {
    UPKEEP_CONFIGURATION: options.configuration,
    UPKEEP_FROM_VERSION: from,
    UPKEEP_TO_VERSION: plan.to ?? "",
  };
  out.note(`Backing up: ${options.backupCmd}`, "backup", { command: options.backupCmd });
  const backupCode = await run(options.backupCmd, baseEnv, out.json);
  entry.backup.exitCode = backupCode;
  if (backupCode !== 0) {
    record(root, entry, "backup-failed");
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
      record(root, entry, "apply-failed");
      throw new ClientError(
        `Applying ${step.version} failed (exit code ${code}); the configuration stays at ${current}. ` +
          "Later steps were not applied.",
        EXIT.failure,
        "apply_failed",
      );
    }
    current = step.version;
  }
  record(root, entry, "applied");
  out.note(
    `Updated ${options.configuration} from ${from} to ${current} (${countOf(plan.steps.length, "step")}); logged in ${join(root, UPDATE_LOG)}.`,
    "done",
    {
      applied: entry.steps.map((s) => s.version),
      to: current,
    },
  );
  return EXIT.ok;
}
