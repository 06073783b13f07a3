import type { Language } from "./i18n.ts";

/** Dates, times, numbers and sizes as a reader of the language expects them, times in the reader's zone. */
export interface Formatters {
  /** A calendar date (`YYYY-MM-DD`, e.g. a release date): the same day in every zone. */
  date(isoDate: string): string;
  /** An instant (an ISO timestamp) in the reader's time zone, with the zone named. */
  dateTime(iso: string | Date): string;
  /** A calendar month (`YYYY-MM`, e.g. a subscription's month): "December 2026". */
  month(isoMonth: string): string;
  number(value: number): string;
  /** A size in bytes with a decimal unit: 1.5 MB, 1,5 МБ. */
  bytes(size: number): string;
}

const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

const validZones = new Map<string, boolean>();

/** Whether Intl knows the IANA time zone (a cookie can hold anything). */
export function isTimeZone(name: string | undefined): name is string {
  if (!name || name.length > 64) return false;
  let valid = validZones.get(name);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: name });
      valid = true;
    } catch {
      valid = false;
    }
    // Only real zones are remembered, so garbage cannot grow the map.
    if (valid) validZones.set(name, true);
  }
  return valid;
}

function createFormatters(language: Language, timeZone: string): Formatters {
  const date = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
  const dateTime = new Intl.DateTimeFormat(language, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
  const month = new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" });
  const number = new Intl.NumberFormat(language);
  const units = BYTE_UNITS.map(
    (unit) =>
      new Intl.NumberFormat(language, {
        style: "unit",
        unit,
        unitDisplay: "short",
        maximumFractionDigits: unit === "byte" ? 0 : 1,
      }),
  );
  return {
    date: (isoDate) => date.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)),
    dateTime: (iso) => dateTime.format(typeof iso === "string" ? new Date(iso) : iso),
    month: (isoMonth) => month.format(new Date(`${isoMonth.slice(0, 7)}-01T00:00:00Z`)),
    number: (value) => number.format(value),
    bytes(size) {
      let index = 0;
      let value = size;
      while (value >= 1000 && index < units.length - 1) {
        value /= 1000;
        index++;
      }
      return units[index]!.format(value);
    },
  };
}

const cache = new Map<string, Formatters>();

/** Formatters are costly to build, so each language and zone gets one set, kept. */
export function formattersFor(language: Language, timeZone: string): Formatters {
  const key = `${language} ${timeZone}`;
  let formatters = cache.get(key);
  if (!formatters) {
    formatters = createFormatters(language, timeZone);
    cache.set(key, formatters);
  }
  return formatters;
}
