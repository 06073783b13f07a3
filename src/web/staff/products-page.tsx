import type { Configuration, Product } from "../../contract/catalogue.ts";
import { EDITIONS } from "../../domain/catalogue.ts";
import { Alert, DataTable, PostForm, SelectField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export function editionLabel(view: ViewContext, edition: string): string {
  if (edition === "prof") return view.t("staff:editions.prof");
  if (edition === "corp") return view.t("staff:editions.corp");
  return view.t("staff:editions.basic");
}

/** Every product: what is sold, its edition, configurations and free support months. */
export function ProductsPage({
  view,
  products,
  saved,
  configurations,
  newProduct = EMPTY_NEW_PRODUCT,
  errors = {},
}: {
  view: ViewContext;
  products: Product[];
  saved?: string;
  configurations: Configuration[];
  newProduct?: NewProductForm;
  errors?: FormErrors;
}) {
  const { t } = view;
  return (
    <StaffLayout view={view} title={t("staff:products.title")}>
      <h1>{t("staff:products.title")}</h1>
      {saved && (
        <Alert kind="success">
          <p>{t("staff:products.saved", { code: saved })}</p>
        </Alert>
      )}
      {products.length === 0 ? (
        <p class="muted">{t("staff:products.none")}</p>
      ) : (
        <DataTable
          rows={products}
          rowKey={(product) => product.code}
          columns={[
            {
              label: t("staff:products.code"),
              cell: (product) =>
                canChange(view) ? (
                  <a href={`/staff/products/${encodeURIComponent(product.code)}`}>{product.code}</a>
                ) : (
                  product.code
                ),
            },
            { label: t("staff:products.name"), cell: (product) => product.name },
            { label: t("staff:products.edition"), cell: (product) => editionLabel(view, product.edition) },
            {
              label: t("staff:products.configurations"),
              cell: (product) => product.configurations.join(", "),
            },
            {
              label: t("staff:products.freeSupportMonths"),
              class: "numeric",
              cell: (product) => view.format.number(product.freeSupportMonths),
            },
          ]}
        />
      )}
      {canChange(view) && (
        <section class="card staff-form-card" aria-labelledby="new-product">
          <h2 id="new-product">{t("staff:products.create")}</h2>
          {errors._form && (
            <Alert kind="error">
              <p>{errors._form}</p>
            </Alert>
          )}
          <PostForm view={view} action="/staff/products" class="stacked-form">
            <TextField
              name="code"
              label={t("staff:products.code")}
              hint={t("staff:products.codeHint")}
              value={newProduct.code}
              error={errors.code}
              required
              maxLength={64}
            />
            <SelectField
              name="edition"
              label={t("staff:products.edition")}
              value={newProduct.edition}
              error={errors.edition}
              options={EDITIONS.map((edition) => ({ value: edition, label: editionLabel(view, edition) }))}
            />
            <ProductFields view={view} configurations={configurations} form={newProduct} errors={errors} />
            <button type="submit" class="button">
              {t("staff:products.createSubmit")}
            </button>
          </PostForm>
        </section>
      )}
    </StaffLayout>
  );
}

export interface ProductForm {
  readonly name: string;
  readonly freeSupportMonths: string;
  readonly configurations: readonly string[];
}

export interface NewProductForm extends ProductForm {
  readonly code: string;
  readonly edition: string;
}

const EMPTY_NEW_PRODUCT: NewProductForm = {
  code: "",
  edition: "basic",
  name: "",
  freeSupportMonths: "0",
  configurations: [],
};

/** One product's form (admin): name, free support months and configurations; the edition is fixed. */
export function ProductPage(props: {
  view: ViewContext;
  product: Product;
  configurations: Configuration[];
  form: ProductForm;
  errors?: FormErrors;
}) {
  const { view, product, configurations, form } = props;
  const { t } = view;
  const errors = props.errors ?? {};
  const title = t("staff:products.editTitle", { code: product.code });
  return (
    <StaffLayout
      view={view}
      title={title}
      trail={[{ href: "/staff/products", label: t("staff:nav.products") }]}
    >
      <h1>{title}</h1>
      <p class="muted">
        {t("staff:products.edition")}: {editionLabel(view, product.edition)} ·{" "}
        {t("staff:products.editionFixed")}
      </p>
      {errors._form && (
        <Alert kind="error">
          <p>{errors._form}</p>
        </Alert>
      )}
      <PostForm
        view={view}
        action={`/staff/products/${encodeURIComponent(product.code)}`}
        class="stacked-form card staff-form-card"
      >
        <ProductFields view={view} configurations={configurations} form={form} errors={errors} />
        <button type="submit" class="button">
          {t("staff:products.submit")}
        </button>
      </PostForm>
    </StaffLayout>
  );
}

/** Name, free support months and configurations: the fields of both product forms. */
function ProductFields(props: {
  view: ViewContext;
  configurations: Configuration[];
  form: ProductForm;
  errors: FormErrors;
}) {
  const { view, configurations, form, errors } = props;
  const { t } = view;
  return (
    <>
      <TextField
        name="name"
        label={t("staff:products.name")}
        value={form.name}
        error={errors.name}
        required
        maxLength={300}
      />
      <TextField
        name="freeSupportMonths"
        type="number"
        inputmode="numeric"
        label={t("staff:products.freeSupportMonths")}
        hint={t("staff:products.freeSupportMonthsHint")}
        value={form.freeSupportMonths}
        error={errors.freeSupportMonths}
        maxLength={3}
      />
      <fieldset
        class={errors.configurations ? "field field-invalid staff-checkboxes" : "field staff-checkboxes"}
        aria-describedby={errors.configurations ? "field-configurations-error" : undefined}
      >
        <legend>{t("staff:products.configurations")}</legend>
        {errors.configurations && (
          <p class="field-error" id="field-configurations-error">
            {errors.configurations}
          </p>
        )}
        {configurations.map((configuration) => (
          <label key={configuration.code} class="staff-checkbox">
            <input
              type="checkbox"
              name="configurations"
              value={configuration.code}
              checked={form.configurations.includes(configuration.code)}
            />{" "}
            {configuration.code} — {configuration.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}
