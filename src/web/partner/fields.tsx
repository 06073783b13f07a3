import type { SupportCoverage } from "../../contract/partners.ts";
import type { ViewContext } from "../view.ts";

/** Registration numbers typed one per line (or separated by spaces, commas or semicolons). */
export function numbersOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter((n) => n !== "");
}

/** A number's support this month in words: not needed, until a day, or missing. */
export function SupportText({ view, support }: { view: ViewContext; support: SupportCoverage }) {
  const { t, format } = view;
  if (!support.needed) return <span class="support support-none">{t("partner:support.notNeeded")}</span>;
  if (support.coveredThisMonth && support.until)
    return (
      <span class="support support-ok">
        {t("partner:support.until", { date: format.date(support.until) })}
      </span>
    );
  return <span class="support support-missing">{t("partner:support.missing")}</span>;
}

/** The edition as the vendor prints it on the box: BASIC, PROF, CORP. */
export function editionLabel(edition: string): string {
  return edition.toUpperCase();
}
