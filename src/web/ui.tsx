import type { ComponentChildren, JSX } from "preact";
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

interface FieldProps {
  name: string;
  label: string;
  error?: string | null;
  hint?: string;
}

/** What a control needs to be tied to its label, hint and error. */
interface ControlWiring {
  id: string;
  "aria-invalid"?: "true";
  "aria-describedby"?: string;
}

/**
 * The frame of every form field: the label, an optional hint and the error, tied to the control
 * through `aria-invalid` and `aria-describedby`. Values are kept on error by passing them back.
 */
function Field(props: FieldProps & { id?: string; control: (wiring: ControlWiring) => JSX.Element }) {
  const id = props.id ?? `field-${props.name}`;
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
      {props.control({
        id,
        "aria-invalid": props.error ? "true" : undefined,
        "aria-describedby": described || undefined,
      })}
    </div>
  );
}

/** A labelled text input with its error. */
export function TextField(
  props: FieldProps & {
    value?: string;
    type?: "text" | "password" | "email" | "tel" | "number" | "date" | "search";
    autocomplete?: string;
    required?: boolean;
    autofocus?: boolean;
    inputmode?: "numeric" | "text" | "email" | "tel";
    maxLength?: number;
  },
) {
  return (
    <Field
      {...props}
      control={(wiring) => (
        <input
          id={wiring.id}
          name={props.name}
          // Preact types each input type apart; any of these takes the attributes used here.
          type={(props.type ?? "text") as "text"}
          value={props.value ?? ""}
          autocomplete={props.autocomplete}
          required={props.required}
          autofocus={props.autofocus}
          inputmode={props.inputmode}
          maxLength={props.maxLength}
          aria-invalid={wiring["aria-invalid"]}
          aria-describedby={wiring["aria-describedby"]}
        />
      )}
    />
  );
}

/** A labelled multi-line input (documents, addresses, lists of numbers) with its error. */
export function TextAreaField(
  props: FieldProps & {
    value?: string;
    rows?: number;
    required?: boolean;
    maxLength?: number;
    autocomplete?: string;
  },
) {
  return (
    <Field
      {...props}
      control={(wiring) => (
        <textarea
          id={wiring.id}
          name={props.name}
          rows={props.rows ?? 4}
          required={props.required}
          maxLength={props.maxLength}
          autocomplete={props.autocomplete}
          aria-invalid={wiring["aria-invalid"]}
          aria-describedby={wiring["aria-describedby"]}
        >
          {props.value ?? ""}
        </textarea>
      )}
    />
  );
}

/** A labelled select with its error. */
export function SelectField(
  props: FieldProps & { value: string; options: { value: string; label: string }[]; id?: string },
) {
  return (
    <Field
      {...props}
      control={(wiring) => (
        <select
          id={wiring.id}
          name={props.name}
          aria-invalid={wiring["aria-invalid"]}
          aria-describedby={wiring["aria-describedby"]}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** One column of a DataTable: its heading (also each cell's label when rows stack on a phone). */
export interface Column<Row> {
  label: string;
  cell: (row: Row) => ComponentChildren;
  /** E.g. "numeric": set on the heading and on every cell. */
  class?: string;
  /** A column of buttons: its heading is for screen readers only, its cells carry no label. */
  labelHidden?: boolean;
}

/**
 * A table of rows that scrolls sideways where it must and stacks each row into a card on a
 * phone, every cell labelled with its column's heading.
 */
export function DataTable<Row>(props: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  caption?: ComponentChildren;
  class?: string;
}) {
  return (
    <div class="table-scroll">
      <table class={props.class ? `data-table stack-on-phone ${props.class}` : "data-table stack-on-phone"}>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.label} scope="col" class={column.class}>
                {column.labelHidden ? <span class="visually-hidden">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column) => (
                <td
                  key={column.label}
                  data-label={column.labelHidden ? undefined : column.label}
                  class={column.class}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
