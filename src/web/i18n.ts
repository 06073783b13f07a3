import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import i18next, { type TFunction } from "i18next";
import { LOCALES_DIR } from "./files.ts";

/** The languages of the portal; the first is the fallback. */
export const LANGUAGES = ["en", "id", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in itself, as the switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  id: "Bahasa Indonesia",
  ru: "Русский",
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export type Translate = TFunction;

type Resources = Record<Language, Record<string, object>>;

/** locales/<language>/<namespace>.json: one namespace per page area, so areas never edit each other's files. */
export function loadResources(dir = LOCALES_DIR): Resources {
  const resources = {} as Resources;
  for (const language of LANGUAGES) {
    const folder = join(dir, language);
    resources[language] = Object.fromEntries(
      readdirSync(folder)
        .filter((file) => file.endsWith(".json"))
        .map((file) => [basename(file, ".json"), JSON.parse(readFileSync(join(folder, file), "utf8"))]),
    );
  }
  return resources;
}

const resources = loadResources();
const i18n = i18next.createInstance();
await i18n.init({
  resources,
  lng: "en",
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(resources.en),
  defaultNS: "common",
  nsSeparator: ":",
  keySeparator: ".",
  // Pages are TSX, which escapes every text it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * A text without options never changes (the resources are loaded once), so it is looked up once:
 * i18next copies its whole options object on every call, which a page of a hundred texts felt.
 */
function rememberingPlainTexts(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => string;
  return ((key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== "string") return call(key, ...rest);
    let text = plain.get(key);
    if (text === undefined) {
      text = call(key);
      plain.set(key, text);
    }
    return text;
  }) as unknown as TFunction;
}

const fixed = new Map(
  LANGUAGES.map((language) => [language, rememberingPlainTexts(i18n.getFixedT(language))]),
);

/** `t("namespace:key", { count })` for one language. Always write the key literally (see test/unit/web-locales). */
export function translator(language: Language): Translate {
  return fixed.get(language)!;
}

/** The best of our languages for an Accept-Language header, by its quality values; English if none fits. */
export function languageFromAcceptLanguage(header: string | undefined): Language {
  if (!header) return LANGUAGES[0];
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [range = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { primary: range.trim().toLowerCase().split("-")[0], q: q ? Number(q) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranked) {
    // "in" is the withdrawn code of Indonesian that old systems still send.
    const language = primary === "in" ? "id" : primary;
    if (isLanguage(language)) return language;
  }
  return LANGUAGES[0];
}
