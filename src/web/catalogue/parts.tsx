import type { ComponentChildren } from "preact";
import type { ReleaseDocumentName } from "../../domain/catalogue.ts";
import type { DownloadAccess } from "../../domain/entitlement.ts";
import { AppError } from "../../domain/errors.ts";
import { renderMarkdown } from "../markdown.ts";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";

export const configurationPath = (code: string) => `/configurations/${encodeURIComponent(code)}`;
export const releasePath = (code: string, version: string) =>
  `${configurationPath(code)}/releases/${encodeURIComponent(version)}`;
export const filePath = (code: string, version: string, distributionId: string) =>
  `${releasePath(code, version)}/files/${encodeURIComponent(distributionId)}`;
export const planPath = (code: string) => `${configurationPath(code)}/plan`;

/** Why a user may not open a configuration or download its files, as the entitlement rules tell it. */
export type Denial = Exclude<DownloadAccess, { allowed: true }>;

/** The denial an entitlement problem carries (from `entitlementProblem`), or null for any other error. */
export function denialOf(error: unknown, configuration: string): Denial | null {
  if (!(error instanceof AppError) || error.kind !== "forbidden") return null;
  const details = error.details;
  switch (error.code) {
    case "not_registered":
      return { allowed: false, reason: "not_registered", configuration };
    case "not_active_yet":
      return {
        allowed: false,
        reason: "not_active_yet",
        configuration,
        activeFrom: String(details.activeFrom),
      };
    case "support_subscription_required":
      return {
        allowed: false,
        reason: "support_subscription_required",
        configuration,
        month: String(details.month),
        registrationNumbers: (details.registrationNumbers as string[] | undefined) ?? [],
      };
    default:
      return null;
  }
}

/** "2026-12" as the reader's language names it: "December 2026", "декабрь 2026 г.". */
function monthName(view: ViewContext, month: string): string {
  const [year, number] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(view.language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year ?? 1970, (number ?? 1) - 1, 1)),
  );
}

/** What a denial means and what to do about it, in the reader's language. */
export function DenialNotice({ view, denial, name }: { view: ViewContext; denial: Denial; name: string }) {
  const { t } = view;
  switch (denial.reason) {
    case "not_registered":
      return (
        <Alert kind="info" title={t("catalogue:offer.title", { name })}>
          <p>{t("catalogue:offer.text")}</p>
          <p>
            <a class="button" href="/account/products/add">
              {t("catalogue:offer.action")}
            </a>
          </p>
        </Alert>
      );
    case "not_active_yet":
      return (
        <Alert kind="info" title={t("catalogue:notActive.title")}>
          <p>{t("catalogue:notActive.text", { time: view.format.dateTime(denial.activeFrom) })}</p>
        </Alert>
      );
    case "support_subscription_required": {
      const month = monthName(view, denial.month);
      return (
        <Alert kind="error" title={t("catalogue:support.title", { month })}>
          <p>{t("catalogue:support.text")}</p>
          {denial.registrationNumbers.length > 0 && (
            <p>
              {t("catalogue:support.numbers")}{" "}
              {denial.registrationNumbers.map((number, index) => (
                <span key={number}>
                  {index > 0 && ", "}
                  <span class="mono">{number}</span>
                </span>
              ))}
            </p>
          )}
          <p>{t("catalogue:support.todo", { month })}</p>
          <p>
            <a href="/account">{t("catalogue:support.account")}</a>
          </p>
        </Alert>
      );
    }
  }
}

/** A distribution kind's name; kinds outside the list (files stored before it closed) show as stored. */
export function kindLabel(view: ViewContext, kind: string): string {
  const { t } = view;
  switch (kind) {
    case "update":
      return t("catalogue:kind.update");
    case "full":
      return t("catalogue:kind.full");
    case "basic-to-prof":
      return t("catalogue:kind.basicToProf");
    case "platform-windows-x86":
      return t("catalogue:kind.platformWindowsX86");
    case "platform-windows-x64":
      return t("catalogue:kind.platformWindowsX64");
    case "platform-linux-x86":
      return t("catalogue:kind.platformLinuxX86");
    case "platform-linux-x64":
      return t("catalogue:kind.platformLinuxX64");
    case "platform-linux-deb-x64":
      return t("catalogue:kind.platformLinuxDebX64");
    case "platform-linux-rpm-x64":
      return t("catalogue:kind.platformLinuxRpmX64");
    case "platform-macos":
      return t("catalogue:kind.platformMacos");
    default:
      return kind;
  }
}

export function documentTitle(view: ViewContext, name: ReleaseDocumentName): string {
  const { t } = view;
  switch (name) {
    case "whatsNew":
      return t("catalogue:document.whatsNew");
    case "changes":
      return t("catalogue:document.changes");
    case "majorChanges":
      return t("catalogue:document.majorChanges");
    case "changedObjects":
      return t("catalogue:document.changedObjects");
    case "updateOrder":
      return t("catalogue:document.updateOrder");
    case "readme":
      return t("catalogue:document.readme");
  }
}

/** A release document's Markdown, rendered safely (src/web/markdown.ts). */
export function MarkdownBlock({ text }: { text: string }) {
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

/** The way back up: Configurations › name › ... */
export function Breadcrumbs({
  view,
  items,
}: {
  view: ViewContext;
  items: { href: string; label: string }[];
}) {
  return (
    <nav class="breadcrumbs" aria-label={view.t("catalogue:breadcrumbs")}>
      <ol>
        <li>
          <a href="/configurations">{view.t("catalogue:list.title")}</a>
        </li>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href}>{item.label}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A small list of facts, each a term with its value. */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
