/** pins issue: registration numbers of a product, with their envelope CSV (the only time PINs are shown). */
import { type Command, InvalidArgumentError } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { countOf } from "../../domain/text.ts";

interface PinsIssueOptions {
  product: string;
  count: number;
  pin: boolean;
  vendorRegistered?: boolean;
  purchaseDate?: string;
  csv: string;
}

export function addPinsIssueCommand(pins: Command): void {
  pins
    .command("issue")
    .description(
      "Issue registration numbers of a product and write the envelope CSV (PINs are shown only now)",
    )
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
    .action(issuePins);
}

async function issuePins(options: PinsIssueOptions): Promise<void> {
  const { closeSync, openSync, rmSync, writeFileSync } = await import("node:fs");
  const { envelopeCsv } = await import("../../services/registration-numbers/envelope-csv.ts");
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
}
