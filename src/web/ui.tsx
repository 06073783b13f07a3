import type { ComponentChildren } from "preact";
import type { ViewContext } from "./view.ts";

/** The field every POST form carries; the portal refuses a POST without it (src/web/app.ts). */
export function CsrfField({ view }: { view: ViewContext }) {
  return <input type="hidden" name="_csrf" value={view.csrfToken} />;
}

/** A POST form with its CSRF field: use it for every form that changes something. */
export function PostForm(props: {
  view: ViewContext;
  action: string;
  class?: string;
  /** For file uploads. */
  enctype?: "multipart/form-data";
  "aria-label"?: string;
  children: ComponentChildren;
}) {
  const { view, children, ...attributes } = props;
  return (
    <form method="post" {...attributes}>
      <CsrfField view={view} />
      {children}
    </form>
  );
}

/** A notice above a form or page: `error` is announced to screen readers at once. */
export function Alert(props: {
  kind: "error" | "info" | "success";
  title?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.title && <p class="alert-title">{props.title}</p>}
      {props.children}
    </div>
  );
}

/**
 * A labelled text input with its error: `aria-invalid` and `aria-describedby` tie the message
 * to the field. Values are kept on error by passing them back as `value`.
 */
export function TextField(props: {
  name: string;
  label: string;
  value?: string;
  error?: string | null;
  hint?: string;
  type?: "text" | "password" | "email" | "tel" | "number" | "date" | "search";
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
  inputmode?: "numeric" | "text" | "email" | "tel";
  maxLength?: number;
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
      <input
        id={id}
        name={props.name}
        // Preact types each input type apart; any of these takes the attributes used here.
        type={(props.type ?? "text") as "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required}
        autofocus={props.autofocus}
        inputmode={props.inputmode}
        maxLength={props.maxLength}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}
