import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Transporter } from "nodemailer";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface MailResult {
  /** "smtp" when handed to the SMTP server, "outbox" when written as an .eml file. */
  readonly via: "smtp" | "outbox";
  readonly path?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<MailResult>;
}

export interface MailerOptions {
  /** smtp://user:pass@host:port or smtps://...; null writes every message into the outbox. */
  readonly smtpUrl: string | null;
  readonly outboxDir: string;
  readonly from: string;
}

/**
 * Sends mail over SMTP when configured; otherwise, or when the SMTP server fails, writes the
 * message as an RFC 5322 .eml file into the outbox folder, so nothing is lost.
 */
export function createMailer(options: MailerOptions): Mailer {
  // nodemailer loads with the first letter, not at start-up.
  let loaded: Promise<{ smtp: Transporter | null; writer: Transporter }> | undefined;
  const transports = () => {
    loaded ??= import("nodemailer").then(({ default: nodemailer }) => ({
      smtp: options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null,
      writer: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    }));
    return loaded;
  };

  async function toOutbox(message: MailMessage): Promise<MailResult> {
    const { writer } = await transports();
    const info = await writer.sendMail({ from: options.from, ...message });
    mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const path = join(options.outboxDir, `${stamp}-${randomUUID()}.eml`);
    // The letter may carry a password: readable by the service's user only.
    writeFileSync(path, info.message as Buffer, { mode: 0o600 });
    return { via: "outbox", path };
  }

  return {
    async send(message) {
      const { smtp } = await transports();
      if (!smtp) return toOutbox(message);
      try {
        await smtp.sendMail({ from: options.from, ...message });
        return { via: "smtp" };
      } catch (error) {
        process.emitWarning(`SMTP delivery to ${message.to} failed, kept in the outbox: ${error}`);
        return toOutbox(message);
      }
    },
  };
}
