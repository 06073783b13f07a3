import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebContext } from "../area.ts";
import { formField, formFieldAll } from "../forms.ts";
import { render } from "../render.tsx";
import { formErrors, formStatus } from "./problems.ts";
import { type NewProductForm, type ProductForm, ProductPage, ProductsPage } from "./products-page.tsx";

const STAFF = { access: ["admin", "support"] } as const;
const ADMIN = { access: ["admin"] } as const;
type CodeParams = { Params: { code: string } };

/** Which field of a product form each refusal of the catalogue belongs to. */
const PRODUCT_FIELD_OF_PROBLEM = {
  invalid_name: "name",
  invalid_free_support_months: "freeSupportMonths",
  invalid_configurations: "configurations",
  configuration_not_found: "configurations",
};

function productForm(request: FastifyRequest): ProductForm {
  return {
    name: formField(request, "name"),
    freeSupportMonths: formField(request, "freeSupportMonths").trim(),
    configurations: formFieldAll(request, "configurations"),
  };
}

/** Whole months as typed; anything else is left for the use case to refuse. */
function monthsOf(form: ProductForm): number {
  return /^\d{1,3}$/.test(form.freeSupportMonths) ? Number(form.freeSupportMonths) : Number.NaN;
}

/** Products: the list for staff, the edit form for admin. */
export async function staffProductPages(app: FastifyInstance, { services }: WebContext) {
  const { catalogue } = services;

  app.get("/staff/products", { config: STAFF }, async (request, reply) => {
    const saved = (request.query as Record<string, unknown>).saved;
    const products = await catalogue.listProducts();
    const known = typeof saved === "string" && products.some((p) => p.code === saved) ? saved : undefined;
    return render(
      reply,
      <ProductsPage
        view={request.view}
        products={products}
        saved={known}
        configurations={await catalogue.listConfigurations()}
      />,
    );
  });

  // A new product, through the use case of POST /api/v1/admin/products.
  app.post("/staff/products", { config: ADMIN }, async (request, reply) => {
    const form: NewProductForm = {
      code: formField(request, "code").trim(),
      edition: formField(request, "edition"),
      ...productForm(request),
    };
    try {
      await catalogue.createProduct(
        {
          code: form.code,
          name: form.name,
          edition: form.edition,
          configurations: [...form.configurations],
          freeSupportMonths: monthsOf(form),
        },
        request.view.user!.id,
      );
    } catch (error) {
      const errors = formErrors(request.view, error, {
        invalid_code: "code",
        product_exists: "code",
        invalid_edition: "edition",
        ...PRODUCT_FIELD_OF_PROBLEM,
      });
      const page = (
        <ProductsPage
          view={request.view}
          products={await catalogue.listProducts()}
          configurations={await catalogue.listConfigurations()}
          newProduct={form}
          errors={errors}
        />
      );
      return render(reply, page, formStatus(error));
    }
    return reply.redirect(`/staff/products?saved=${encodeURIComponent(form.code)}`, 303);
  });

  const productPage = async (
    request: FastifyRequest,
    code: string,
    form?: ProductForm,
    errors?: Record<string, string>,
  ) => {
    const product = await catalogue.requireProduct(code);
    return (
      <ProductPage
        view={request.view}
        product={product}
        configurations={await catalogue.listConfigurations()}
        form={
          form ?? {
            name: product.name,
            freeSupportMonths: String(product.freeSupportMonths),
            configurations: product.configurations,
          }
        }
        errors={errors}
      />
    );
  };

  app.get<CodeParams>("/staff/products/:code", { config: ADMIN }, async (request, reply) =>
    render(reply, await productPage(request, request.params.code)),
  );

  app.post<CodeParams>("/staff/products/:code", { config: ADMIN }, async (request, reply) => {
    const { code } = request.params;
    const form = productForm(request);
    try {
      await catalogue.updateProduct(
        code,
        { name: form.name, freeSupportMonths: monthsOf(form), configurations: [...form.configurations] },
        request.view.user!.id,
      );
    } catch (error) {
      const errors = formErrors(request.view, error, PRODUCT_FIELD_OF_PROBLEM);
      return render(reply, await productPage(request, code, form, errors), formStatus(error));
    }
    return reply.redirect(`/staff/products?saved=${encodeURIComponent(code)}`, 303);
  });
}
