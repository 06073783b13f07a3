import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import type { WebContext } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { type PartnerForms, PartnersPage } from "./partners-page.tsx";
import { type FormErrors, formErrors, formStatus } from "./problems.ts";

const STAFF = { access: ["admin", "support"] } as const;
const ADMIN = { access: ["admin"] } as const;

/** Partners and their logins. */
export async function staffPartnerPages(app: FastifyInstance, { services }: WebContext) {
  const { partners } = services;

  const page = async (
    request: FastifyRequest,
    forms: PartnerForms,
    errors: { partner?: FormErrors; login?: FormErrors } = {},
  ) => {
    const query = request.query as Record<string, unknown>;
    const list = await partners.listPartners();
    const added = list.find((p) => p.id === query.added);
    const login =
      typeof query.login === "string" && /^[\w.@-]{1,64}$/.test(query.login) ? query.login : undefined;
    const notice = added
      ? login
        ? request.view.t("staff:partners.loginAdded", { login, partner: added.name })
        : request.view.t("staff:partners.added", { partner: added.name })
      : undefined;
    return (
      <PartnersPage
        view={request.view}
        partners={list}
        forms={forms}
        partnerErrors={errors.partner}
        loginErrors={errors.login}
        notice={notice}
      />
    );
  };

  app.get("/staff/partners", { config: STAFF }, async (request, reply) =>
    render(reply, await page(request, { name: "" })),
  );

  app.post("/staff/partners", { config: ADMIN }, async (request, reply) => {
    const name = formField(request, "name");
    let id: string;
    try {
      ({ id } = await partners.addPartner(name, request.view.user!.id));
    } catch (error) {
      const errors = formErrors(request.view, error, { invalid_partner: "name", partner_exists: "name" });
      return render(reply, await page(request, { name }, { partner: errors }), formStatus(error));
    }
    return reply.redirect(`/staff/partners?added=${encodeURIComponent(id)}`, 303);
  });

  app.post<{ Params: { id: string } }>(
    "/staff/partners/:id/logins",
    { config: ADMIN },
    async (request, reply) => {
      const { id } = request.params;
      const values = { login: formField(request, "login").trim(), email: formField(request, "email").trim() };
      try {
        await partners.addPartnerLogin(
          id,
          { login: values.login, password: formField(request, "password"), email: values.email || null },
          request.view.user!.id,
        );
      } catch (error) {
        if (error instanceof AppError && error.code === "partner_not_found") throw error;
        const errors = formErrors(request.view, error, {
          invalid_login: "login",
          login_taken: "login",
          weak_password: "password",
        });
        return render(
          reply,
          await page(request, { name: "", login: { partnerId: id, ...values } }, { login: errors }),
          formStatus(error),
        );
      }
      return reply.redirect(
        `/staff/partners?added=${encodeURIComponent(id)}&login=${encodeURIComponent(values.login)}`,
        303,
      );
    },
  );
}
