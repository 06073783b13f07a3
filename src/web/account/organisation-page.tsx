import type { Organization } from "../../domain/organization.ts";
import { registrationLabels } from "../registration/form-parts.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

/** The organisation as its registration form recorded it (read-only). */
export function OrganisationPage(props: { view: ViewContext; organization: Organization | null }) {
  const { view, organization } = props;
  const { t, format } = view;
  const labels = registrationLabels(view);
  return (
    <AccountLayout view={view} title={t("account:organisation.title")}>
      {organization === null ? (
        <p class="muted">{t("account:organisation.none")}</p>
      ) : (
        <>
          <dl class="details-list">
            <dt>{labels.name}</dt>
            <dd>{organization.name}</dd>
            <dt>{labels.activity}</dt>
            <dd>{organization.activity}</dd>
            <dt>{labels.postalCode}</dt>
            <dd>{organization.postalCode}</dd>
            <dt>{labels.address}</dt>
            <dd class="multiline">{organization.address}</dd>
            <dt>{labels.head}</dt>
            <dd>{organization.head}</dd>
            <dt>{labels.responsiblePerson}</dt>
            <dd>{organization.responsiblePerson}</dd>
            <dt>{labels.phone}</dt>
            <dd>{organization.phone}</dd>
            <dt>{labels.email}</dt>
            <dd>{organization.email}</dd>
            <dt>{labels.purchasedFrom}</dt>
            <dd>{organization.purchasedFrom}</dd>
            <dt>{labels.purchaseDate}</dt>
            <dd>
              <time dateTime={organization.purchaseDate}>{format.date(organization.purchaseDate)}</time>
            </dd>
            <dt>{labels.workstations}</dt>
            <dd>{format.number(organization.workstations)}</dd>
          </dl>
          <p class="muted">{t("account:organisation.changes")}</p>
        </>
      )}
    </AccountLayout>
  );
}
