// Sends an upload form (class "upload-form") with XMLHttpRequest to show a progress bar; without
// this script the same form posts as usual. The server answers as it does to the plain form: a
// redirect to the release page once stored, or the page with the refusal shown on the form.
(() => {
  const show = (form, fraction) => {
    const status = form.querySelector(".upload-status");
    const bar = form.querySelector("progress.upload-progress");
    const text = form.querySelector(".upload-percent");
    if (!status || !bar) return;
    status.hidden = false;
    const percent = Math.round(fraction * 100);
    bar.value = percent;
    if (text) text.textContent = `${percent} %`;
  };

  // The page the server answered replaces this one's main content (a refusal keeps the form).
  const replaceMain = (html) => {
    const next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
    const main = document.querySelector("main");
    if (next && main) {
      main.replaceWith(next);
      next.querySelector(".alert, [aria-invalid='true']")?.scrollIntoView({ block: "center" });
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("upload-form")) return;
    if (typeof XMLHttpRequest === "undefined" || typeof FormData === "undefined") return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) show(form, progress.loaded / progress.total);
    });
    request.upload.addEventListener("load", () => show(form, 1));
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) {
        show(form, 1);
        window.location.assign(request.responseURL || window.location.href);
      } else {
        replaceMain(request.responseText);
      }
    });
    request.addEventListener("error", () => {
      // The connection broke: the plain form tries again and shows the server's own answer.
      if (button) button.disabled = false;
      form.submit();
    });
    show(form, 0);
    request.send(new FormData(form));
  });
})();
