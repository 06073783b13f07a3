import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout } from "./components.tsx";

/** The staff area's start: what each section is for. */
export function OverviewPage({ view }: { view: ViewContext }) {
  const { t } = view;
  const sections = [
    {
      href: "/staff/configurations",
      title: t("staff:nav.configurations"),
      text: t("staff:overview.configurations"),
    },
    { href: "/staff/products", title: t("staff:nav.products"), text: t("staff:overview.products") },
    { href: "/staff/registration-numbers", title: t("staff:nav.numbers"), text: t("staff:overview.numbers") },
    { href: "/staff/registration-cards", title: t("staff:nav.cards"), text: t("staff:overview.cards") },
    { href: "/staff/partners", title: t("staff:nav.partners"), text: t("staff:overview.partners") },
    { href: "/staff/audit-log", title: t("staff:nav.audit"), text: t("staff:overview.audit") },
  ];
  return (
    <StaffLayout view={view} title={t("staff:overview.title")}>
      <h1>{t("staff:overview.title")}</h1>
      <p class="lead">
        {canChange(view) ? t("staff:overview.introAdmin") : t("staff:overview.introSupport")}
      </p>
      <ul class="staff-cards">
        {sections.map((section) => (
          <li key={section.href} class="card">
            <h2>
              <a href={section.href}>{section.title}</a>
            </h2>
            <p>{section.text}</p>
          </li>
        ))}
      </ul>
    </StaffLayout>
  );
}
