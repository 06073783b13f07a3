/** user add: an account written straight to the configured database, its password kept out of the shell history. */
import { type Command, InvalidArgumentError } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { validatePassword } from "../../domain/credentials.ts";
import { badRequest } from "../../domain/errors.ts";
import { isRole, ROLES, type Role } from "../../domain/roles.ts";
import { readNewPassword } from "../password.ts";

interface UserAddOptions {
  login: string;
  password?: string;
  role: Role;
  email?: string;
  partner?: string;
}

export function addUserAddCommand(user: Command): void {
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
    .action(addUser);
}

async function addUser(options: UserAddOptions): Promise<void> {
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
    console.log(`Added ${created.role} ${created.login}${partner ? ` for partner ${partner.name}` : ""}.`);
  } finally {
    await upkeep.close();
  }
}
