import type { ComponentChildren } from "preact";
import { isStaff } from "../domain/roles.ts";
import { assetUrl } from "./asset-urls.ts";
import { LANGUAGE_NAMES, LANGUAGES } from "./i18n.ts";
import { PostForm } from "./ui.tsx";
import type { ViewContext } from "./view.ts";

interface NavLink {
  readonly href: string;
  readonly label: string;
}

/** The sections a user may open, by role; each area's own pages check access again. */
function navigation(view: ViewContext): NavLink[] {
  const { t, role } = view;
  const links: NavLink[] = [{ href: "/", label: t("common:nav.home") }];
  if (!role) return [...links, { href: "/register", label: t("common:nav.register") }];
  links.push({ href: "/configurations", label: t("common:nav.catalogue") });
  links.push({ href: "/account", label: t("common:nav.account") });
  if (role === "partner") links.push({ href: "/partner", label: t("common:nav.partner") });
  if (isStaff(role)) links.push({ href: "/staff", label: t("common:nav.staff") });
  return links;
}

function isCurrent(path: string, href: string): boolean {
  const pathname = path.split("?")[0] ?? "/";
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** `?lang=` on the current page: a plain link, so switching works without JavaScript. */
function languageHref(path: string, language: string): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${language}`;
}

function LanguageLinks({ view }: { view: ViewContext }) {
  return (
    <nav class="language-links" aria-label={view.t("common:language.label")}>
      <ul>
        {LANGUAGES.map((language) => (
          <li key={language}>
            <a
              href={languageHref(view.path, language)}
              lang={language}
              hreflang={language}
              aria-current={language === view.language ? "true" : undefined}
            >
              {LANGUAGE_NAMES[language]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Header({ view }: { view: ViewContext }) {
  const { t, user } = view;
  return (
    <header class="site-header">
      <div class="container header-top">
        <a class="brand" href="/">
          <span class="brand-mark" aria-hidden="true">
            U
          </span>
          <span class="brand-name">{t("common:service.name")}</span>
          <span class="brand-tagline">{t("common:service.tagline")}</span>
        </a>
        <LanguageLinks view={view} />
      </div>
      <div class="container header-bottom">
        <nav class="main-nav" aria-label={t("common:nav.label")}>
          <ul>
            {navigation(view).map((link) => (
              <li key={link.href}>
                <a href={link.href} aria-current={isCurrent(view.path, link.href) ? "page" : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="session">
          {user ? (
            <>
              <span class="session-user">
                {t("common:session.signedInAs")} <strong>{user.displayName ?? user.login}</strong>
              </span>
              <PostForm view={view} action="/sign-out" class="inline-form">
                <button type="submit" class="button button-quiet">
                  {t("common:session.signOut")}
                </button>
              </PostForm>
            </>
          ) : (
            !view.path.startsWith("/sign-in") && (
              <a class="button button-quiet" href={`/sign-in?next=${encodeURIComponent(view.path)}`}>
                {t("common:session.signIn")}
              </a>
            )
          )}
        </div>
      </div>
    </header>
  );
}

function Footer({ view }: { view: ViewContext }) {
  const { t } = view;
  return (
    <footer class="site-footer">
      <div class="container footer-row">
        <PostForm view={view} action="/language" class="language-form">
          <input type="hidden" name="next" value={view.path} />
          <label for="language-select">{t("common:language.label")}</label>
          <select id="language-select" name="lang">
            {LANGUAGES.map((language) => (
              <option key={language} value={language} lang={language} selected={language === view.language}>
                {LANGUAGE_NAMES[language]}
              </option>
            ))}
          </select>
          <button type="submit" class="button button-quiet">
            {t("common:language.apply")}
          </button>
        </PostForm>
        <p class="footer-note">
          {t("common:footer.timeZone", { zone: view.timeZone })} · {t("common:footer.copyright")}
        </p>
      </div>
    </footer>
  );
}

/** The frame of every page: head, skip link, header with navigation, `<main>`, footer. */
export function Layout(props: { view: ViewContext; title: string; children: ComponentChildren }) {
  const { view } = props;
  return (
    <html lang={view.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${view.t("common:service.name")}`}</title>
        <link rel="stylesheet" href={assetUrl("site.css")} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        <script src={assetUrl("time-zone.js")} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {view.t("common:skipToContent")}
        </a>
        <Header view={view} />
        <main id="main" class="container" tabindex={-1}>
          {props.children}
        </main>
        <Footer view={view} />
      </body>
    </html>
  );
}
