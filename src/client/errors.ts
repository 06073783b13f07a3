/** Exit codes of upkeep-client; scripts rely on them. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The account may not download (plan.download.allowed false, or a 403). */
  entitlement: 3,
  /** The token is wrong, expired or revoked: connect again. */
  auth: 4,
  /** The server could not be reached. */
  unreachable: 5,
  /** Signed metadata or a downloaded file failed verification: refused, nothing installed. */
  verification: 6,
  /** A release of the chain has no update file yet: the vendor has to upload it. */
  updateMissing: 7,
} as const;

export class ClientError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly code = "failure",
  ) {
    super(message);
    this.name = "ClientError";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The network error code (ECONNREFUSED ...) anywhere in an error's cause chain, if any. */
export function networkErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const found = networkErrorCode(inner);
        if (found) return found;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof Error && /\b(ECONNREFUSED|ENOTFOUND|ECONNRESET|fetch failed)\b/.test(error.message)) {
    return "ECONNREFUSED";
  }
  return null;
}

export function unreachable(server: string, error: unknown): ClientError {
  const code = networkErrorCode(error) ?? "network error";
  return new ClientError(
    `Cannot reach the update server ${server} (${code}). Check the network connection and the server ` +
      "address; nothing was changed.",
    EXIT.unreachable,
    "unreachable",
  );
}

export function reconnect(server: string, detail: string): ClientError {
  return new ClientError(
    `The server ${server} refused the saved token: ${detail}\n` +
      `Connect again: upkeep-client connect --server ${server} --login <login>`,
    EXIT.auth,
    "reconnect",
  );
}

export function verificationFailed(reason: string): ClientError {
  return new ClientError(
    `Refused: ${reason}. Nothing was installed.`,
    EXIT.verification,
    "verification_failed",
  );
}
