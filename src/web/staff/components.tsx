import type { ComponentChildren } from "preact";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";

/** Whether the signed-in staff member may change things (admin); support reads (src/domain/roles.ts). */
export const canChange = (view: ViewContext) => view.role === "admin";

function sections(view: ViewContext) {
  const { t } = view;
  return [
    { href: "/staff", label: t("staff:nav.overview") },
    { href: "/staff/configurations", label: t("staff:nav.configurations") },
    { href: "/staff/products", label: t("staff:nav.products") },
    { href: "/staff/registration-numbers", label: t("staff:nav.numbers") },
    { href: "/staff/registration-cards", label: t("staff:nav.cards") },
    { href: "/staff/partners", label: t("staff:nav.partners") },
    { href: "/staff/audit-log", label: t("staff:nav.audit") },
  ];
}

function current(path: string, href: string): boolean {
  const pathname = path.split("?")[0] ?? "";
  return href === "/staff" ? pathname === "/staff" : pathname === href || pathname.startsWith(`${href}/`);
}

/** Every staff page: the portal's frame, the staff sections and an optional trail back. */
export function StaffLayout(props: {
  view: ViewContext;
  title: string;
  /** Links leading back up, e.g. to the configurations list. */
  trail?: { href: string; label: string }[];
  children: ComponentChildren;
}) {
  const { view } = props;
  return (
    <Layout view={view} title={props.title}>
      <nav class="staff-nav" aria-label={view.t("staff:nav.label")}>
        <ul>
          {sections(view).map((link) => (
            <li key={link.href}>
              <a href={link.href} aria-current={current(view.path, link.href) ? "page" : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.trail && props.trail.length > 0 && (
        <nav class="staff-trail" aria-label={view.t("staff:nav.trail")}>
          <ol>
            {props.trail.map((link) => (
              <li key={link.href}>
                <a href={link.href}>{link.label}</a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      {props.children}
    </Layout>
  );
}

/** A release's state as a small coloured label. */
export function StatusBadge({ view, status }: { view: ViewContext; status: string }) {
  const label =
    status === "published"
      ? view.t("staff:status.published")
      : status === "withdrawn"
        ? view.t("staff:status.withdrawn")
        : view.t("staff:status.draft");
  return (
    <span class={`badge badge-${status === "published" || status === "withdrawn" ? status : "draft"}`}>
      {label}
    </span>
  );
}

/** Previous and next links of a paged list; `href` builds the address of an offset. */
export function Pager(props: {
  view: ViewContext;
  previous: number | null;
  next: number | null;
  href: (offset: number) => string;
}) {
  const { view, previous, next, href } = props;
  if (previous === null && next === null) return null;
  return (
    <nav class="pager" aria-label={view.t("staff:pager.label")}>
      {previous !== null && (
        <a class="button button-quiet" href={href(previous)} rel="prev">
          {view.t("staff:pager.previous")}
        </a>
      )}
      {next !== null && (
        <a class="button button-quiet" href={href(next)} rel="next">
          {view.t("staff:pager.next")}
        </a>
      )}
    </nav>
  );
}

/** A query string of the non-empty values, for filter and paging links. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
