import { Command, InvalidArgumentError } from "commander";
import { openUpkeep, startServer } from "../app.ts";
import { loadConfig } from "../config.ts";
import { AppError, badRequest } from "../domain/errors.ts";
import { isRole, ROLES } from "../domain/roles.ts";
import { countOf } from "../domain/text.ts";
import { validatePassword } from "../services/accounts.ts";
import { readNewPassword } from "./password.ts";

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
  .option(
    "--password <password>",
    "password (8 characters or more); left out, it is asked for, or read from standard input, " +
      "and stays out of the shell history",
  )
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
  .option("--partner <name>", "for --role partner: the partner (reseller) it works for, created if missing")
  .action(
    async (options: {
      login: string;
      password?: string;
      role: (typeof ROLES)[number];
      email?: string;
      partner?: string;
    }) => {
      if (options.role === "partner" && !options.partner) {
        throw new InvalidArgumentError("A partner account needs --partner NAME.");
      }
      if (options.partner && options.role !== "partner") {
        throw new InvalidArgumentError("--partner goes with --role partner.");
      }
      const password = options.password ?? (await readNewPassword());
      if (password === null) {
        throw badRequest(
          "password_required",
          "No password: type it at the prompt, send it as one line on standard input, or give --password.",
        );
      }
      validatePassword(password);
      const upkeep = await openUpkeep(loadConfig());
      try {
        const partner = options.partner
          ? await upkeep.services.partners.ensurePartner(options.partner, null)
          : null;
        if (partner?.created) console.log(`Added partner ${partner.name}.`);
        const created = await upkeep.services.accounts.createUser({
          login: options.login,
          password,
          role: options.role,
          email: options.email ?? null,
          partnerId: partner?.id ?? null,
        });
        console.log(
          `Added ${created.role} ${created.login}${partner ? ` for partner ${partner.name}` : ""}.`,
        );
      } finally {
        await upkeep.close();
      }
    },
  );

const pins = program.command("pins").description("Registration numbers and PIN envelopes");
pins
  .command("issue")
  .description("Issue registration numbers of a product and write the envelope CSV (PINs are shown only now)")
  .requiredOption("--product <code>", "product code")
  .requiredOption("--count <n>", "how many numbers", (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("A whole number, 1 or more.");
    return n;
  })
  .option("--no-pin", "issue without PIN envelopes (registered by partners)")
  .option("--vendor-registered", "electronic delivery: registered with the vendor already")
  .option(
    "--purchase-date <YYYY-MM-DD>",
    "date of sale, starts a PROF product's free support months (electronic deliveries: today by default)",
  )
  .requiredOption("--csv <file>", "where to write the envelope CSV (created with mode 0600)")
  .action(
    async (options: {
      product: string;
      count: number;
      pin: boolean;
      vendorRegistered?: boolean;
      purchaseDate?: string;
      csv: string;
    }) => {
      const { closeSync, openSync, rmSync, writeFileSync } = await import("node:fs");
      const { envelopeCsv } = await import("../services/registration-numbers.ts");
      // Opened before issuing, so PINs are never issued that could not be written down.
      const fd = openSync(options.csv, "wx", 0o600);
      let written = false;
      const upkeep = await openUpkeep(loadConfig());
      try {
        const items = await upkeep.services.registrationNumbers.issue(
          {
            product: options.product,
            count: options.count,
            pin: options.pin,
            vendorRegistered: Boolean(options.vendorRegistered),
            purchaseDate: options.purchaseDate ?? null,
          },
          null,
        );
        writeFileSync(fd, envelopeCsv(options.product, items));
        written = true;
        console.log(
          `Issued ${countOf(items.length, "registration number")} of ${options.product}${options.pin ? " with PINs" : ""}; envelopes in ${options.csv}.`,
        );
      } finally {
        closeSync(fd);
        // Nothing was issued (bad input): no empty envelope file is left behind.
        if (!written) rmSync(options.csv, { force: true });
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
