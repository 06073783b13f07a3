/**
 * upkeep-client: the installed program's side of Upkeep. Connects to the update server once, checks
 * for updates, downloads and verifies them (TUF, tuf-js) and installs them into the 1C templates
 * directory; runs the update with a backup first. Exit codes: see errors.ts.
 */
import { Command, CommanderError, Option } from "commander";
import { AppError } from "../domain/errors.ts";
import * as commands from "./commands.ts";
import { ClientError, EXIT, networkErrorCode } from "./errors.ts";
import { Output } from "./output.ts";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** UPKEEP_PASSWORD, else a hidden prompt on a terminal, else one line of standard input. */
async function readPassword(): Promise<string> {
  if (process.env.UPKEEP_PASSWORD) return process.env.UPKEEP_PASSWORD;
  const input = process.stdin;
  if (!input.isTTY) {
    let text = "";
    for await (const chunk of input) {
      text += chunk.toString();
      if (text.includes("\n")) break;
    }
    return text.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write("Password: ");
  return new Promise((resolve, reject) => {
    let password = "";
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        if (char === "\u0003") return done(new ClientError("Cancelled.", 130));
        if (char === "\u007f" || char === "\b") password = password.slice(0, -1);
        else password += char;
      }
    };
    input.on("data", onData);
  });
}

let exitCode: number = EXIT.ok;
let json = false;

function output(options: { json?: boolean }): Output {
  json = Boolean(options.json);
  return new Output(json);
}

const program = new Command()
  .name("upkeep-client")
  .description("Connects this machine to an Upkeep update server and keeps the 1C update templates current.")
  .showHelpAfterError()
  .exitOverride();

const serverOption = () =>
  new Option(
    "--server <url>",
    "server (http://host:port) or mirror (file:///dir); default: the connected one",
  );
const jsonOption = () => new Option("--json", "print JSON lines for machines");

program
  .command("connect")
  .description("sign in once and keep a device token (password: prompt or UPKEEP_PASSWORD)")
  .requiredOption("--server <url>", "http(s)://host[:port] of the Upkeep server, or file:///dir of a mirror")
  .option("--login <login>", "portal login")
  .option("--name <name>", "name of the device token (default upkeep-client@<hostname>)")
  .addOption(jsonOption())
  .action(async (options) => {
    await commands.connect(output(options), options, readPassword);
  });

program
  .command("status")
  .description("show the connected account and its products")
  .addOption(serverOption())
  .addOption(jsonOption())
  .action(async (options) => {
    await commands.status(output(options), options);
  });

program
  .command("disconnect")
  .description("revoke the device token on the server and forget it")
  .addOption(jsonOption())
  .action(async (options) => {
    await commands.disconnect(output(options));
  });

const planOptions = (command: Command) =>
  command
    .requiredOption("--configuration <code>", "configuration code, e.g. HRM")
    .requiredOption("--version <version>", "installed version, e.g. 3.0.10.32")
    .option("--platform <version>", "installed platform version, e.g. 8.3.5.1119")
    .option("--target <version>", "update to this release instead of the newest")
    .addOption(serverOption())
    .addOption(jsonOption());

planOptions(program.command("check").description("show the update chain, its sizes and what's new")).action(
  async (options) => {
    exitCode = await commands.check(output(options), options);
  },
);

planOptions(
  program
    .command("download")
    .description("download, verify and install the update chain into the templates directory")
    .requiredOption("--templates <dir>", "the update templates directory (tmplts)")
    .option("--force", "download steps whose folders already exist again"),
).action(async (options) => {
  exitCode = await commands.download(output(options), options);
});

program
  .command("templates")
  .description("offline: list the templates (of a configuration, or all) and the chain they allow")
  .requiredOption("--templates <dir>", "the update templates directory")
  .option("--configuration <code>", "configuration code (all configurations when left out)")
  .option("--version <version>", "installed version: with --configuration, shows the chain from it")
  .option("--target <version>", "chain to this version instead of the newest")
  .option("--platform <version>", "installed platform version")
  .addOption(jsonOption())
  .action((options) => {
    exitCode = commands.templates(output(options), options);
  });

planOptions(
  program
    .command("update")
    .description("back up, then apply the chain from the templates directory step by step")
    .requiredOption("--templates <dir>", "the update templates directory")
    .requiredOption(
      "--backup-cmd <command>",
      "shell command that backs the infobase up; a failure stops the update",
    )
    .requiredOption(
      "--apply-cmd <command>",
      "shell command run per step with the step folder and version appended (also UPKEEP_STEP_DIR, UPKEEP_STEP_VERSION)",
    )
    .option("--download", "download the chain from the server first"),
).action(async (options) => {
  exitCode = await commands.update(output(options), options);
});

program
  .command("mirror")
  .description("copy every distribution this account may download, with signed metadata, into a folder")
  .requiredOption("--out <dir>", "the mirror folder (use it later with --server file://<dir>)")
  .option("--configuration <code>", "only this configuration (repeatable)", collect)
  .addOption(serverOption())
  .addOption(jsonOption())
  .action(async (options) => {
    exitCode = await commands.mirror(output(options), options);
  });

function fail(error: unknown): number {
  let clientError: ClientError;
  if (error instanceof ClientError) clientError = error;
  // The shared domain code (versions, the planner) refuses bad input with an AppError: the user's mistake.
  else if (error instanceof AppError) clientError = new ClientError(error.message);
  else if (networkErrorCode(error)) {
    clientError = new ClientError(
      `The server could not be reached: ${error}`,
      EXIT.unreachable,
      "unreachable",
    );
  } else {
    clientError = new ClientError(
      `Unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
  }
  process.stderr.write(`upkeep-client: ${clientError.message}\n`);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ event: "error", code: clientError.code, message: clientError.message, exitCode: clientError.exitCode })}\n`,
    );
  }
  return clientError.exitCode;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    exitCode = fail(error);
  }
}
process.exitCode = exitCode;
