import type { ComponentChildren } from "preact";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";

/** "page" on the tab's own page; "true" on the pages under it (adding a product is under the products). */
function currentness(pathname: string | undefined, href: string): "page" | "true" | undefined {
  if (pathname === href) return "page";
  return href === "/account" && pathname?.startsWith("/account/products/") ? "true" : undefined;
}

/** The pages of "My account", as tabs under the heading; the current one is marked. */
export function AccountLayout(props: { view: ViewContext; title: string; children: ComponentChildren }) {
  const { view, title } = props;
  const { t } = view;
  const pathname = view.path.split("?")[0];
  const links = [
    { href: "/account", label: t("account:nav.products") },
    { href: "/account/organisation", label: t("account:nav.organisation") },
    { href: "/account/devices", label: t("account:nav.devices") },
    { href: "/account/password", label: t("account:nav.password") },
  ];
  return (
    <Layout view={view} title={title}>
      <p class="account-heading">{t("account:heading")}</p>
      <nav class="account-nav" aria-label={t("account:nav.label")}>
        <ul>
          {links.map((link) => (
            <li key={link.href}>
              <a href={link.href} aria-current={currentness(pathname, link.href)}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {props.children}
    </Layout>
  );
}
