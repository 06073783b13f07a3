/**
 * upkeep: the server and admin CLI. One module per command under commands/; this file builds the
 * program from them and turns failures into exit codes: 0 ok, 1 failure, 2 bad input (also a
 * malformed or unsafe file to import: the message names the file and line), 3 conflict.
 */
import { Command } from "commander";
import { AppError } from "../domain/errors.ts";
import { FormatError } from "../formats/format-error.ts";
import { addImportCommand } from "./commands/import.ts";
import { addImportListCommand } from "./commands/import-list.ts";
import { addMigrateCommand } from "./commands/migrate.ts";
import { addPatchCommand } from "./commands/patch.ts";
import { addPinsIssueCommand } from "./commands/pins-issue.ts";
import { addServeCommand } from "./commands/serve.ts";
import { addUserAddCommand } from "./commands/user-add.ts";

const program = new Command()
  .name("upkeep")
  .description("Upkeep: user support and update distribution for a software vendor")
  .showHelpAfterError();

addServeCommand(program);
addMigrateCommand(program);
addUserAddCommand(program.command("user").description("Manage accounts"));
addPinsIssueCommand(program.command("pins").description("Registration numbers and PIN envelopes"));
addImportCommand(program);
addImportListCommand(program);
addPatchCommand(program.command("patch").description("Patches of 1C configurations between releases"));

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof AppError) {
    console.error(`upkeep: ${error.message} (${error.code})`);
    process.exit(error.kind === "conflict" ? 3 : 2);
  }
  if (error instanceof FormatError) {
    console.error(`upkeep: ${error.message} Nothing was imported.`);
    process.exit(2);
  }
  console.error(`upkeep: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
