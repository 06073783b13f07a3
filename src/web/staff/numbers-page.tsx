import type { Product } from "../../contract/catalogue.ts";
import { REGISTRATION_NUMBER_STATES, type RegistrationNumberPage } from "../../contract/staff.ts";
import { previousOffset } from "../../domain/paging.ts";
import { Alert, PostForm, SelectField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, Pager, queryString, StaffLayout } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export interface NumberFilters {
  readonly product: string;
  readonly number: string;
  readonly state: string;
  readonly limit: number;
  readonly offset: number;
}

export interface IssueForm {
  readonly product: string;
  readonly count: string;
  readonly pin: boolean;
  readonly vendorRegistered: boolean;
  readonly purchaseDate: string;
}

export const EMPTY_ISSUE_FORM: IssueForm = {
  product: "",
  count: "10",
  pin: true,
  vendorRegistered: false,
  purchaseDate: "",
};

function stateLabel(view: ViewContext, state: string): string {
  const { t } = view;
  switch (state) {
    case "awaiting-card":
      return t("staff:numbers.states.awaitingCard");
    case "vendor-registered":
      return t("staff:numbers.states.vendorRegistered");
    case "on-account":
      return t("staff:numbers.states.onAccount");
    case "free":
      return t("staff:numbers.states.free");
    case "locked":
      return t("staff:numbers.states.locked");
    default:
      return t("staff:numbers.states.any");
  }
}

/** Registration numbers: issue with PINs (admin), find by product, digits and state, lift PIN locks. */
export function NumbersPage(props: {
  view: ViewContext;
  products: Product[];
  filters: NumberFilters;
  page: RegistrationNumberPage | null;
  filterError?: string;
  unlocked?: string;
  issueForm: IssueForm;
  issueErrors?: FormErrors;
}) {
  const { view, products, filters, page } = props;
  const { t } = view;
  const issueErrors = props.issueErrors ?? {};
  const productOptions = products.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` }));
  const back = `/staff/registration-numbers${queryString({ product: filters.product, number: filters.number, state: filters.state, offset: filters.offset || null })}`;
  return (
    <StaffLayout view={view} title={t("staff:numbers.title")}>
      <h1>{t("staff:numbers.title")}</h1>
      {props.unlocked && (
        <Alert kind="success">
          <p>{t("staff:numbers.unlocked", { number: props.unlocked })}</p>
        </Alert>
      )}
      <form
        method="get"
        action="/staff/registration-numbers"
        class="staff-filters card"
        aria-labelledby="number-filters"
      >
        <h2 id="number-filters">{t("staff:filters.title")}</h2>
        <SelectField
          name="product"
          id="filter-product"
          label={t("staff:numbers.product")}
          value={filters.product}
          options={[{ value: "", label: t("staff:filters.all") }, ...productOptions]}
        />
        <TextField
          name="number"
          label={t("staff:numbers.number")}
          hint={t("staff:numbers.numberHint")}
          value={filters.number}
          inputmode="numeric"
          maxLength={12}
        />
        <SelectField
          name="state"
          label={t("staff:numbers.state")}
          value={filters.state}
          options={[
            { value: "", label: t("staff:numbers.states.any") },
            ...REGISTRATION_NUMBER_STATES.map((state) => ({ value: state, label: stateLabel(view, state) })),
          ]}
        />
        <div class="staff-filter-actions">
          <button type="submit" class="button">
            {t("staff:filters.apply")}
          </button>
          <a href="/staff/registration-numbers" class="button button-quiet">
            {t("staff:filters.reset")}
          </a>
        </div>
      </form>
      {props.filterError && (
        <Alert kind="error">
          <p>{props.filterError}</p>
        </Alert>
      )}
      {page &&
        (page.items.length === 0 ? (
          <p class="muted">{t("staff:numbers.none")}</p>
        ) : (
          <div class="table-scroll">
            <table class="data-table stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t("staff:numbers.numberShort")}</th>
                  <th scope="col">{t("staff:numbers.product")}</th>
                  <th scope="col">{t("staff:numbers.issuedAt")}</th>
                  <th scope="col">{t("staff:numbers.vendorRegisteredAt")}</th>
                  <th scope="col">{t("staff:numbers.holder")}</th>
                  <th scope="col">{t("staff:numbers.lock")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((n) => (
                  <tr key={n.registrationNumber}>
                    <td data-label={t("staff:numbers.numberShort")}>
                      <code>{n.registrationNumber}</code>
                      {!n.withPin && <span class="muted"> · {t("staff:numbers.noPin")}</span>}
                    </td>
                    <td data-label={t("staff:numbers.product")}>{n.product}</td>
                    <td data-label={t("staff:numbers.issuedAt")}>{view.format.dateTime(n.issuedAt)}</td>
                    <td data-label={t("staff:numbers.vendorRegisteredAt")}>
                      {n.vendorRegisteredAt
                        ? view.format.dateTime(n.vendorRegisteredAt)
                        : t("staff:numbers.states.awaitingCard")}
                    </td>
                    <td data-label={t("staff:numbers.holder")}>{n.holder ?? "—"}</td>
                    <td data-label={t("staff:numbers.lock")}>
                      {n.lockedUntil ? (
                        <PostForm
                          view={view}
                          action={`/staff/registration-numbers/${encodeURIComponent(n.registrationNumber)}/unlock`}
                          class="inline-form"
                        >
                          <input type="hidden" name="back" value={back} />
                          <span class="badge badge-withdrawn">
                            {t("staff:numbers.lockedUntil", { time: view.format.dateTime(n.lockedUntil) })}
                          </span>{" "}
                          <button
                            type="submit"
                            class="button button-quiet"
                            aria-label={t("staff:numbers.unlockNumber", { number: n.registrationNumber })}
                          >
                            {t("staff:numbers.unlock")}
                          </button>
                        </PostForm>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {page && (
        <Pager
          view={view}
          previous={previousOffset(filters)}
          next={page.nextOffset}
          href={(offset) =>
            `/staff/registration-numbers${queryString({ product: filters.product, number: filters.number, state: filters.state, offset: offset || null })}`
          }
        />
      )}
      {canChange(view) && (
        <section class="card staff-form-card" aria-labelledby="issue">
          <h2 id="issue">{t("staff:issue.title")}</h2>
          <p class="muted">{t("staff:issue.intro")}</p>
          {issueErrors._form && (
            <Alert kind="error">
              <p>{issueErrors._form}</p>
            </Alert>
          )}
          <PostForm view={view} action="/staff/registration-numbers/issue" class="stacked-form">
            <SelectField
              name="product"
              label={t("staff:numbers.product")}
              value={props.issueForm.product}
              error={issueErrors.product}
              options={productOptions}
            />
            <TextField
              name="count"
              type="number"
              inputmode="numeric"
              label={t("staff:issue.count")}
              value={props.issueForm.count}
              error={issueErrors.count}
              required
              maxLength={6}
            />
            <label class="staff-checkbox">
              <input type="checkbox" name="pin" value="yes" checked={props.issueForm.pin} />{" "}
              {t("staff:issue.pin")}
            </label>
            <label class="staff-checkbox">
              <input
                type="checkbox"
                name="vendorRegistered"
                value="yes"
                checked={props.issueForm.vendorRegistered}
              />{" "}
              {t("staff:issue.vendorRegistered")}
            </label>
            <TextField
              name="purchaseDate"
              type="date"
              label={t("staff:issue.purchaseDate")}
              hint={t("staff:issue.purchaseDateHint")}
              value={props.issueForm.purchaseDate}
              error={issueErrors.purchaseDate}
              maxLength={10}
            />
            <button type="submit" class="button">
              {t("staff:issue.submit")}
            </button>
          </PostForm>
        </section>
      )}
    </StaffLayout>
  );
}
