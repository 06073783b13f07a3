import { Command, InvalidArgumentError } from "commander";
import { openUpkeep, startServer } from "../app.ts";
import { loadConfig } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { isRole, ROLES } from "../domain/roles.ts";

const program = new Command()
  .name("upkeep")
  .description("Upkeep: user support and update distribution for a software vendor")
  .showHelpAfterError();

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

program
  .command("migrate")
  .description("Bring the database schema up to date and exit")
  .action(async () => {
    const upkeep = await openUpkeep(loadConfig());
    await upkeep.close();
    console.log("The database is up to date.");
  });

const user = program.command("user").description("Manage accounts");
user
  .command("add")
  .description("Add an account straight to the configured database")
  .requiredOption("--login <login>", "sign-in name")
  .requiredOption("--password <password>", "password (8 characters or more)")
  .option(
    "--role <role>",
    `one of ${ROLES.join(", ")}`,
    (value) => {
      if (!isRole(value)) throw new InvalidArgumentError(`Choose one of ${ROLES.join(", ")}.`);
      return value;
    },
    "user",
  )
  .option("--email <email>", "e-mail address")
  .action(
    async (options: { login: string; password: string; role: (typeof ROLES)[number]; email?: string }) => {
      const upkeep = await openUpkeep(loadConfig());
      try {
        const created = await upkeep.services.accounts.createUser({
          login: options.login,
          password: options.password,
          role: options.role,
          email: options.email ?? null,
        });
        console.log(`Added ${created.role} ${created.login}.`);
      } finally {
        await upkeep.close();
      }
    },
  );

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof AppError) {
    console.error(`upkeep: ${error.message} (${error.code})`);
    process.exit(error.kind === "conflict" ? 3 : 2);
  }
  console.error(`upkeep: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
