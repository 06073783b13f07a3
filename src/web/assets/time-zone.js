// Tells the server the browser's time zone (cookie "tz", kept a year), so pages show times in it.
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  const current = document.cookie
    .split("; ")
    .find((cookie) => cookie.startsWith("tz="))
    ?.slice(3);
  if (current && decodeURIComponent(current) === zone) return;
  const secure = location.protocol === "https:" ? "; secure" : "";
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from browsers still in use.
  document.cookie = `tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax${secure}`;
})();
