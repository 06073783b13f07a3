/** Tools the benchmarks share. */
import { type ChildProcess, spawnSync } from "node:child_process";

export { randomGenerator } from "../test/support/random.ts";

/** The path of `command`, installing Debian's `pkg` first when it is missing. */
export function ensureDebianPackage(command: string, pkg: string): string {
  const lookup = () =>
    spawnSync("sh", ["-c", `command -v ${command} || ls /usr/sbin/${command} 2>/dev/null`]);
  let found = lookup();
  if (found.status !== 0 || !String(found.stdout).trim()) {
    console.log(`installing ${pkg} (apt-get) ...`);
    let result = spawnSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "inherit" });
    if (result.status !== 0) {
      spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
      result = spawnSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "inherit" });
    }
    if (result.status !== 0) throw new Error(`Could not install ${pkg}; install it and run again.`);
    found = lookup();
  }
  return String(found.stdout).trim().split("\n")[0]!;
}

/** Waits until the server at `baseUrl` answers /healthz, polling every `intervalMs`; fails if it exits. */
export async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  options: { intervalMs: number; timeoutMs?: number },
): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  throw new Error(`the server did not become healthy in ${(options.timeoutMs ?? 30_000) / 1000} s`);
}
