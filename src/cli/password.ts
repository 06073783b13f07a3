/**
 * A new account's password without putting it on the command line, where the shell history
 * would keep it: asked for on a terminal (nothing echoed, typed twice), else the first line of
 * standard input (`generate-password | upkeep user add ...`).
 */
import { createInterface } from "node:readline";

interface Terminal extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

const ENTER = new Set(["\r", "\n"]);
const ERASE = new Set(["\u007f", "\b"]);
const INTERRUPT = "\u0003";
const END_OF_INPUT = "\u0004";

/** The password, or null when none was given (an empty line, or nothing on standard input). */
export async function readNewPassword(
  input: Terminal = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string | null> {
  if (!input.isTTY || !input.setRawMode) return emptyAsNull(await firstLine(input));
  const password = emptyAsNull(await askHidden("Password: ", input, output));
  if (password === null) return null;
  if ((await askHidden("Password again: ", input, output)) !== password) {
    throw new Error("The two passwords differ; nothing was changed.");
  }
  return password;
}

function emptyAsNull(text: string | null): string | null {
  return text === null || text === "" ? null : text;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string | null> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) return line;
    return null;
  } finally {
    lines.close();
  }
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C cancels, Ctrl-D on an empty line gives null. */
function askHidden(question: string, input: Terminal, output: NodeJS.WritableStream): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (settle: () => void) => {
      input.off("data", onData);
      input.setRawMode!(false);
      input.pause();
      output.write("\n");
      settle();
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (ENTER.has(char)) return finish(() => resolve(typed));
        if (char === INTERRUPT) return finish(() => reject(new Error("Cancelled; nothing was changed.")));
        if (char === END_OF_INPUT && typed === "") return finish(() => resolve(null));
        if (ERASE.has(char)) typed = Array.from(typed).slice(0, -1).join("");
        else if (char >= " ") typed += char;
      }
    };
    // Echo is off before the question shows, so nothing typed after it can be echoed.
    input.setRawMode!(true);
    input.setEncoding("utf8");
    output.write(question);
    input.on("data", onData);
    input.resume();
  });
}
