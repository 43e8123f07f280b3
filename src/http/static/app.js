// Paperboy's only script: small enhancements on top of pages that already work without it.
// 1. Forms marked data-async (votes, save to library) post in the background and update in place; if that
//    fails for any reason, the form is submitted the ordinary way.
// 2. Buttons marked data-copy copy the text of the element they name (e.g. the BibTeX entry).
(() => {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-async")) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.includes("json")) throw new Error(String(response.status));
      const state = await response.json();
      const count = form.querySelector("[data-count]");
      if (count && typeof state.count === "number") count.textContent = String(state.count);
      if (button && typeof state.active === "boolean")
        button.setAttribute("aria-pressed", String(state.active));
    } catch {
      form.submit();
    } finally {
      if (button) button.disabled = false;
    }
  });

  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.getAttribute("data-copy") || "");
      if (!source || !navigator.clipboard) return;
      await navigator.clipboard.writeText(source.textContent || "");
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => {
        button.textContent = label;
      }, 1500);
    });
  }
})();
