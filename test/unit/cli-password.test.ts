import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { readNewPassword } from "../../src/cli/password.ts";

function piped(text: string) {
  const input = new PassThrough();
  input.end(text);
  return input;
}

/** A terminal that answers each prompt with the next of `answers`, recording raw mode and what is shown. */
function terminal(answers: string[]) {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes: [] as boolean[],
    setRawMode(raw: boolean) {
      input.rawModes.push(raw);
      return input;
    },
  });
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk) => {
    shown += chunk;
    if (String(chunk).endsWith(": ")) input.write(answers.shift() ?? "");
  });
  return { input, output, shown: () => shown };
}

describe("readNewPassword from standard input", () => {
  it("takes the first line", async () => {
    assert.equal(await readNewPassword(piped("first-password\nsecond line\n")), "first-password");
    assert.equal(await readNewPassword(piped("windows-password\r\n")), "windows-password");
    assert.equal(await readNewPassword(piped("no-newline-password")), "no-newline-password");
  });

  it("gives null for nothing or an empty line", async () => {
    assert.equal(await readNewPassword(piped("")), null);
    assert.equal(await readNewPassword(piped("\nsecond\n")), null);
  });
});

describe("readNewPassword on a terminal", () => {
  it("asks twice without echoing, and honours backspace", async () => {
    const tty = terminal(["secret-pw-X\u007f1\r", "secret-pw-1\r"]);
    assert.equal(await readNewPassword(tty.input, tty.output), "secret-pw-1");
    assert.equal(tty.shown(), "Password: \nPassword again: \n");
    assert.deepEqual(tty.input.rawModes, [true, false, true, false]);
  });

  it("refuses two different passwords", async () => {
    const tty = terminal(["secret-pw-1\r", "secret-pw-2\r"]);
    await assert.rejects(readNewPassword(tty.input, tty.output), /differ/);
    assert.deepEqual(tty.input.rawModes, [true, false, true, false], "the terminal is left as it was");
  });

  it("gives null for an empty answer or Ctrl-D, and is cancelled by Ctrl-C", async () => {
    const empty = terminal(["\r"]);
    assert.equal(await readNewPassword(empty.input, empty.output), null);
    const endOfInput = terminal(["\u0004"]);
    assert.equal(await readNewPassword(endOfInput.input, endOfInput.output), null);
    const interrupted = terminal(["secr\u0003"]);
    await assert.rejects(readNewPassword(interrupted.input, interrupted.output), /Cancelled/);
    assert.deepEqual(interrupted.input.rawModes, [true, false]);
  });
});
