/** serve: runs the service (migrations first); on the first start creates the administrator. */
import type { Command } from "commander";
import { openUpkeep, startServer } from "../../app.ts";
import { loadConfig } from "../../config.ts";

export function addServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Run the service (migrations run first)")
    .action(async () => {
      const upkeep = await openUpkeep(loadConfig());
      const admin = await upkeep.services.accounts.ensureAdmin();
      if (admin) {
        console.log(
          `\nFirst start: created the administrator "${admin.login}" with the password\n\n    ${admin.password}\n\nIt is shown only this once.\n`,
        );
      }
      const app = await startServer(upkeep);
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => void app.close().then(() => process.exit(0)));
      }
    });
}
