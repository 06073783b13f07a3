import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { type FieldProblem, ORGANIZATION_FIELDS } from "../../domain/organization.ts";
import type { WebContext } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import type { ViewContext } from "../view.ts";
import { type CardForm, CardsPage, emptyCardForm } from "./cards-page.tsx";
import { type FormErrors, formErrors, formStatus } from "./problems.ts";

const STAFF = { access: ["admin", "support"] } as const;

/** Each field's problem of the organisation, in the reader's language. */
function organizationErrors(view: ViewContext, problems: FieldProblem[]): FormErrors {
  const { t } = view;
  const errors: FormErrors = {};
  for (const { field, message } of problems) {
    if (field === "registrationNumber") errors[field] = t("staff:problems.invalidNumber");
    else if (message === "is required") errors[field] = t("staff:card.required");
    else if (field === "phone") errors[field] = t("staff:card.invalidPhone");
    else if (field === "email") errors[field] = t("staff:card.invalidEmail");
    else if (field === "purchaseDate") errors[field] = t("staff:card.invalidPurchaseDate");
    else if (field === "workstations") errors[field] = t("staff:card.invalidWorkstations");
    else errors[field] = t("staff:card.tooLong");
  }
  return errors;
}

/** Registration cards sent by mail (admin and support may record them, as through the API). */
export async function staffCardPages(app: FastifyInstance, { services }: WebContext) {
  const recorded = (request: FastifyRequest) => {
    const value = (request.query as Record<string, unknown>).recorded;
    return typeof value === "string" && /^\d{8,12}$/.test(value) ? value : undefined;
  };

  app.get("/staff/registration-cards", { config: STAFF }, async (request, reply) =>
    render(reply, <CardsPage view={request.view} form={emptyCardForm()} recorded={recorded(request)} />),
  );

  app.post("/staff/registration-cards", { config: STAFF }, async (request, reply) => {
    const form = emptyCardForm();
    for (const field of ["registrationNumber", ...ORGANIZATION_FIELDS] as (keyof CardForm)[]) {
      form[field] = formField(request, field).trim();
    }
    const { registrationNumber, ...organization } = form;
    try {
      await services.registrationNumbers.recordCard(registrationNumber, organization, request.view.user!.id);
    } catch (error) {
      const problems =
        error instanceof AppError ? (error.details.fields as FieldProblem[] | undefined) : undefined;
      const errors =
        error instanceof AppError && error.code === "validation_failed" && problems
          ? organizationErrors(request.view, problems)
          : formErrors(request.view, error, {
              invalid_registration_number: "registrationNumber",
              registration_number_not_found: "registrationNumber",
            });
      return render(reply, <CardsPage view={request.view} form={form} errors={errors} />, formStatus(error));
    }
    return reply.redirect(
      `/staff/registration-cards?recorded=${encodeURIComponent(registrationNumber)}`,
      303,
    );
  });
}
