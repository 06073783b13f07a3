import type { SupportCoverage } from "../../contract/partners.ts";
import type { ViewContext } from "../view.ts";

/** A labelled multi-line input with its error, tied to it as TextField does. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value?: string;
  error?: string | null;
  hint?: string;
  required?: boolean;
  rows?: number;
}) {
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
        value={props.value ?? ""}
      />
    </div>
  );
}

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
