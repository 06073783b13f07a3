import type { WebArea } from "../area.ts";
import { formField } from "../forms.ts";
import { isLanguage } from "../i18n.ts";
import { safeLocalPath } from "../safe-redirect.ts";
import { setLanguageCookie } from "../session-cookie.ts";

/** The language form of the footer; the header's links do the same with `?lang=` on any page. */
export const languageArea: WebArea = async (app) => {
  app.post("/language", { config: { access: "public" } }, async (request, reply) => {
    const language = formField(request, "lang");
    if (isLanguage(language)) setLanguageCookie(reply, language);
    return reply.redirect(safeLocalPath(formField(request, "next")), 303);
  });
};
