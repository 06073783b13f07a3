/** What the client prints: human text (with progress bars on a terminal), or JSON lines with --json. */
import cliProgress from "cli-progress";
import type { DownloadProgress } from "./download.ts";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export class Output {
  readonly tty: boolean;
  private bars: cliProgress.MultiBar | null = null;

  constructor(readonly json: boolean) {
    this.tty = !json && Boolean(process.stderr.isTTY);
  }

  /** Human text on stdout (nothing with --json). */
  info(text = ""): void {
    if (this.json) return;
    // While bars are drawn, lines go above them instead of through them.
    if (this.bars) this.bars.log(`${text}\n`);
    else process.stdout.write(`${text}\n`);
  }

  /** A machine-readable event on stdout (only with --json). */
  event(event: string, fields: Record<string, unknown> = {}): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
  }

  /** Both: a line for people and an event for machines. */
  note(text: string, event: string, fields: Record<string, unknown> = {}): void {
    this.info(text);
    this.event(event, fields);
  }

  progress(label: string): DownloadProgress & { finish(): void } {
    if (this.tty) {
      this.bars ??= new cliProgress.MultiBar(
        {
          format: " {label} [{bar}] {percentage}% | {done} / {size} | {speed}",
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
      const bars = this.bars;
      let bar: cliProgress.SingleBar | null = null;
      let value = 0;
      let total = 0;
      let started = Date.now();
      let startValue = 0;
      const payload = () => {
        const seconds = (Date.now() - started) / 1000;
        const speed = seconds > 0 ? `${formatBytes((value - startValue) / seconds)}/s` : "";
        return { label, done: formatBytes(value), size: formatBytes(total), speed };
      };
      return {
        start(resumedFrom, size) {
          total = size;
          value = resumedFrom;
          startValue = resumedFrom;
          started = Date.now();
          bar = bars.create(Math.max(size, 1), resumedFrom, payload());
        },
        advance(bytes) {
          value += bytes;
          bar?.update(value, payload());
        },
        finish() {
          bar?.update(total, payload());
          bar?.stop();
        },
      };
    }
    let total = 0;
    let value = 0;
    let nextReport = 0;
    const report = () => {
      const percent = total === 0 ? 100 : Math.floor((value / total) * 100);
      if (percent < nextReport) return;
      // 0, 25, 50, 75, 100 (each once); 101 stops further lines.
      nextReport = percent >= 100 ? 101 : Math.floor(percent / 25) * 25 + 25;
      if (this.json) this.event("progress", { label, bytes: value, total });
      else this.info(`  ${label}: ${percent}% (${formatBytes(value)} of ${formatBytes(total)})`);
    };
    return {
      start: (resumedFrom, size) => {
        total = size;
        value = resumedFrom;
        if (resumedFrom > 0)
          this.note(`  ${label}: resuming at ${formatBytes(resumedFrom)}`, "resume", {
            label,
            from: resumedFrom,
            total,
          });
        report();
      },
      advance: (bytes) => {
        value += bytes;
        report();
      },
      finish: () => {
        if (value >= total) report();
      },
    };
  }

  close(): void {
    this.bars?.stop();
    this.bars = null;
  }
}
