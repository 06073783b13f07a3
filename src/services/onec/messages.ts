/**
 * The update service's refusals, told to the 1C program's user in their language (the request's
 * Accept-Language): `errorName` is stable for programs (the library asks for the password again on
 * exactly `LoginError`), `errorMessage` is for people.
 */
export type MessageLanguage = "en" | "id" | "ru";

export type RefusalName =
  | "LoginError"
  | "AccountNotActiveError"
  | "NotRegisteredError"
  | "SupportSubscriptionRequiredError"
  | "UpdateNotFoundError";

type Facts = Record<string, unknown>;

const MESSAGES: Record<RefusalName, Record<MessageLanguage, (facts: Facts) => string>> = {
  LoginError: {
    en: () => "The login or password is wrong.",
    id: () => "Login atau kata sandi salah.",
    ru: () => "Неверный логин или пароль.",
  },
  AccountNotActiveError: {
    en: (f) => `This account becomes active at ${f.activeFrom} (UTC); try again then.`,
    id: (f) => `Akun ini aktif mulai ${f.activeFrom} (UTC); coba lagi nanti.`,
    ru: (f) => `Учётная запись станет активной ${f.activeFrom} (UTC); повторите попытку позже.`,
  },
  NotRegisteredError: {
    en: (f) =>
      `${f.configuration} is not among your registered products; register the product that includes it.`,
    id: (f) => `${f.configuration} tidak termasuk produk terdaftar Anda; daftarkan produk yang mencakupnya.`,
    ru: (f) =>
      `${f.configuration} нет среди ваших зарегистрированных продуктов; зарегистрируйте продукт, в который она входит.`,
  },
  SupportSubscriptionRequiredError: {
    en: (f) => `Updates of PROF editions need a support subscription for ${f.month}.`,
    id: (f) => `Pembaruan edisi PROF memerlukan langganan dukungan untuk ${f.month}.`,
    ru: (f) => `Для обновления редакций ПРОФ нужна подписка на поддержку на ${f.month}.`,
  },
  UpdateNotFoundError: {
    en: (f) => `There is no update ${f.id} you may download.`,
    id: (f) => `Tidak ada pembaruan ${f.id} yang dapat Anda unduh.`,
    ru: (f) => `Обновление ${f.id} не найдено или недоступно для загрузки.`,
  },
};

export function message(
  language: MessageLanguage,
  errorName: RefusalName,
  facts: Facts,
): { errorName: string; errorMessage: string } {
  return { errorName, errorMessage: MESSAGES[errorName][language](facts) };
}
