/** migrate: brings the database schema up to date and exits. */
import type { Command } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";

export function addMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description("Bring the database schema up to date and exit")
    .action(async () => {
      const upkeep = await openUpkeep(loadConfig());
      await upkeep.close();
      console.log("The database is up to date.");
    });
}
