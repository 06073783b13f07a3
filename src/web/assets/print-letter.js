// The partner's letter: a Print button, shown only where a script can press it.

(() => {
  const button = document.getElementById("print-letter");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
})();
