/**
 * Where to go after signing in or switching language: a path of this site only. Anything else
 * (another host, `//host`, `/\host`, a scheme, control characters) falls back to `fallback`.
 */
export function safeLocalPath(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2000) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  // Browsers drop tabs and line breaks and turn backslashes into slashes: `/\t/evil` is `//evil`.
  if (/[\p{Cc}\\]/u.test(target)) return fallback;
  try {
    const url = new URL(target, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
