import type { FastifyRequest } from "fastify";
import type { AppError } from "../../domain/errors.ts";
import { ORGANIZATION_FIELDS } from "../../domain/organization.ts";
import type { WebArea } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { AuthoriseConfirmPage, AuthorisePage, type AuthoriseValues } from "./authorise-page.tsx";
import { ClientsPage, partnerNotice } from "./clients-page.tsx";
import { numbersOf } from "./fields.tsx";
import { authorizationErrors, clientFormErrors, formErrorStatus, subscriptionErrors } from "./form-errors.ts";
import { LetterPage } from "./letter-page.tsx";
import { letterPath, readLetterSecret, rememberLetterSecret } from "./letter-secret.ts";
import { type ClientFormValues, RegisterClientPage } from "./register-client-page.tsx";
import { SubscriptionPage, type SubscriptionValues } from "./subscription-page.tsx";

const PARTNER = { access: ["partner"] } as const;

type Query = Record<string, string | undefined>;

const queryOf = (request: FastifyRequest) => request.query as Query;

function authoriseValues(source: Query): AuthoriseValues {
  return {
    userCode: (source.userCode ?? "").trim(),
    registrationNumber: (source.registrationNumber ?? "").trim(),
  };
}

/** A whole number as the API takes it; anything else goes as typed, for the use case to refuse. */
function wholeNumber(text: string): number | string {
  return /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : text;
}

/**
 * Partner area: its clients with their support, registering a client with its printable letter,
 * authorising a number on a user code the client gives, recording a subscription. Every page
 * calls the same use case as the partner API.
 */
export const partnerArea: WebArea = async (app, { services }) => {
  app.get("/partner", { config: PARTNER }, async (request, reply) => {
    const clients = await services.partners.listClients(request.view.user!);
    const notice = partnerNotice(queryOf(request).done);
    return render(reply, <ClientsPage view={request.view} clients={clients} notice={notice} />);
  });

  app.get("/partner/clients/new", { config: PARTNER }, async (request, reply) =>
    render(reply, <RegisterClientPage view={request.view} values={{}} errors={{}} />),
  );

  app.post("/partner/clients/new", { config: PARTNER }, async (request, reply) => {
    const values: ClientFormValues = {};
    for (const field of [...ORGANIZATION_FIELDS, "registrationNumbers"])
      values[field] = formField(request, field);
    const { registrationNumbers, ...organization } = values;
    try {
      const client = await services.partners.registerClient(request.view.user!, {
        organization,
        registrationNumbers: numbersOf(registrationNumbers ?? ""),
      });
      rememberLetterSecret(request, reply, client.userCode, {
        password: client.password,
        mailedVia: client.mail.via,
      });
      return reply.redirect(letterPath(client.userCode), 303);
    } catch (error) {
      const errors = clientFormErrors(request.view, error);
      if (!errors) throw error;
      const page = <RegisterClientPage view={request.view} values={values} errors={errors} />;
      return render(reply, page, formErrorStatus(error as AppError));
    }
  });

  app.get("/partner/clients/:userCode/letter", { config: PARTNER }, async (request, reply) => {
    const { userCode } = request.params as { userCode: string };
    const letter = await services.partners.clientLetter(request.view.user!, userCode);
    const page = (
      <LetterPage
        view={request.view}
        letter={letter}
        secret={readLetterSecret(request, letter.userCode)}
        signInUrl={`${request.protocol}://${request.host}/sign-in`}
      />
    );
    return render(reply, page);
  });

  app.get("/partner/authorise", { config: PARTNER }, async (request, reply) =>
    render(
      reply,
      <AuthorisePage view={request.view} values={authoriseValues(queryOf(request))} errors={{}} />,
    ),
  );

  // Checking is a read: the confirmation comes back as a page, and only confirming posts.
  app.get("/partner/authorise/check", { config: PARTNER }, async (request, reply) => {
    const values = authoriseValues(queryOf(request));
    try {
      const check = await services.partners.checkNumber(
        request.view.user!,
        values.userCode,
        values.registrationNumber,
      );
      return render(reply, <AuthoriseConfirmPage view={request.view} check={check} />);
    } catch (error) {
      const errors = authorizationErrors(request.view, error);
      if (!errors) throw error;
      const page = <AuthorisePage view={request.view} values={values} errors={errors} />;
      return render(reply, page, formErrorStatus(error as AppError));
    }
  });

  app.post("/partner/authorise", { config: PARTNER }, async (request, reply) => {
    const values = authoriseValues({
      userCode: formField(request, "userCode"),
      registrationNumber: formField(request, "registrationNumber"),
    });
    try {
      await services.partners.authorize(request.view.user!, values.userCode, values.registrationNumber);
      return reply.redirect("/partner?done=authorised", 303);
    } catch (error) {
      const errors = authorizationErrors(request.view, error);
      if (!errors) throw error;
      const page = <AuthorisePage view={request.view} values={values} errors={errors} />;
      return render(reply, page, formErrorStatus(error as AppError));
    }
  });

  app.get("/partner/subscriptions/new", { config: PARTNER }, async (request, reply) => {
    const values: SubscriptionValues = {
      registrationNumber: (queryOf(request).registrationNumber ?? "").trim(),
      fromMonth: services.partners.currentMonth(),
      months: "12",
      additionalNumbers: "",
    };
    return render(reply, <SubscriptionPage view={request.view} values={values} errors={{}} />);
  });

  app.post("/partner/subscriptions/new", { config: PARTNER }, async (request, reply) => {
    const values: SubscriptionValues = {
      registrationNumber: formField(request, "registrationNumber").trim(),
      fromMonth: formField(request, "fromMonth").trim(),
      months: formField(request, "months").trim(),
      additionalNumbers: formField(request, "additionalNumbers"),
    };
    try {
      await services.subscriptions.record(
        {
          registrationNumber: values.registrationNumber,
          fromMonth: values.fromMonth,
          months: wholeNumber(values.months),
          additionalNumbers: numbersOf(values.additionalNumbers),
        },
        request.view.user!,
      );
      return reply.redirect("/partner?done=subscription", 303);
    } catch (error) {
      const errors = subscriptionErrors(request.view, error, values.registrationNumber);
      if (!errors) throw error;
      const page = <SubscriptionPage view={request.view} values={values} errors={errors} />;
      return render(reply, page, formErrorStatus(error as AppError));
    }
  });
};
