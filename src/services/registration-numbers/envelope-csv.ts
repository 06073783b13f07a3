import type { IssuedNumber } from "../../contract/registration.ts";
import { formatPin } from "../../domain/pin.ts";

/** The envelope file printed and sealed for each PIN: one row a number. */
export function envelopeCsv(product: string, items: readonly IssuedNumber[]): string {
  const lines = ["registrationNumber,pin,product"];
  for (const item of items) {
    const pin = item.pin ? formatPin(item.pin) : "";
    lines.push(`${item.registrationNumber},${pin},${csvField(product)}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
