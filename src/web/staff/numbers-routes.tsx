import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { parsePaging } from "../../domain/paging.ts";
import { envelopeCsv } from "../../services/registration-numbers/envelope-csv.ts";
import type { WebContext } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { safeLocalPath } from "../safe-redirect.ts";
import { EMPTY_ISSUE_FORM, type IssueForm, type NumberFilters, NumbersPage } from "./numbers-page.tsx";
import { formErrors, formStatus, problemText } from "./problems.ts";

const STAFF = { access: ["admin", "support"] } as const;
const ADMIN = { access: ["admin"] } as const;
const LIST = "/staff/registration-numbers";

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** Registration numbers: the filtered list, issuing with the envelope file, lifting PIN locks. */
export async function staffNumberPages(app: FastifyInstance, { services }: WebContext) {
  const { catalogue, registrationNumbers } = services;

  const listPage = async (
    request: FastifyRequest,
    issueForm: IssueForm,
    issueErrors?: Record<string, string>,
  ) => {
    const query = request.query as Record<string, unknown>;
    const raw = { product: text(query.product), number: text(query.number), state: text(query.state) };
    let filters: NumberFilters = { ...raw, limit: 50, offset: 0 };
    let page = null;
    let filterError: string | undefined;
    try {
      const paging = parsePaging({ limit: text(query.limit), offset: text(query.offset) });
      filters = { ...raw, ...paging };
      page = await registrationNumbers.listNumbers({
        ...raw,
        limit: String(paging.limit),
        offset: String(paging.offset),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== "bad_request") throw error;
      filterError = problemText(request.view, error);
    }
    const unlocked = text(query.unlocked);
    return (
      <NumbersPage
        view={request.view}
        products={await catalogue.listProducts()}
        filters={filters}
        page={page}
        filterError={filterError}
        unlocked={/^\d{8,12}$/.test(unlocked) ? unlocked : undefined}
        issueForm={issueForm}
        issueErrors={issueErrors}
      />
    );
  };

  app.get(LIST, { config: STAFF }, async (request, reply) => {
    const page = await listPage(request, EMPTY_ISSUE_FORM);
    return render(reply, page, page.props.filterError ? 400 : 200);
  });

  // The PINs exist only in this answer: the envelope file is downloaded once, never stored.
  app.post(`${LIST}/issue`, { config: ADMIN }, async (request, reply) => {
    const form: IssueForm = {
      product: formField(request, "product").trim(),
      count: formField(request, "count").trim(),
      pin: formField(request, "pin") === "yes",
      vendorRegistered: formField(request, "vendorRegistered") === "yes",
      purchaseDate: formField(request, "purchaseDate").trim(),
    };
    let items: Awaited<ReturnType<typeof registrationNumbers.issue>>;
    try {
      items = await registrationNumbers.issue(
        {
          product: form.product,
          count: /^\d{1,7}$/.test(form.count) ? Number(form.count) : Number.NaN,
          pin: form.pin,
          vendorRegistered: form.vendorRegistered,
          purchaseDate: form.purchaseDate || null,
        },
        request.view.user!.id,
      );
    } catch (error) {
      const errors = formErrors(request.view, error, {
        product_not_found: "product",
        validation_failed: "count",
        invalid_date: "purchaseDate",
      });
      return render(reply, await listPage(request, form, errors), formStatus(error));
    }
    const name = `pin-envelopes-${form.product.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
    return reply
      .status(201)
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="${name}"`)
      .type("text/csv; charset=utf-8")
      .send(envelopeCsv(form.product, items));
  });

  app.post<{ Params: { number: string } }>(
    `${LIST}/:number/unlock`,
    { config: STAFF },
    async (request, reply) => {
      const user = request.view.user!;
      await registrationNumbers.unlock(request.params.number, { id: user.id, partnerId: null });
      const back = safeLocalPath(formField(request, "back"), LIST);
      const target = back.startsWith(LIST) ? back : LIST;
      const url = new URL(target, "http://local.invalid");
      url.searchParams.set("unlocked", request.params.number);
      return reply.redirect(url.pathname + url.search, 303);
    },
  );
}
