// Paperboy's only script: small enhancements on top of pages that already work without it.
// 1. Forms marked data-async (votes, save to library) post in the background and update in place; if that
//    fails for any reason, the form is submitted the ordinary way.
// 2. Buttons marked data-copy copy the text of the element they name (e.g. the BibTeX entry).
// 3. Time zone fields marked data-tz-guess take the browser's zone (digest forms; the server's default is UTC).
// 4. A digest form shows its weekday only while "Weekly" is chosen.
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

  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {}
  if (zone) {
    for (const field of document.querySelectorAll("[data-tz-guess]")) {
      if (field instanceof HTMLSelectElement) {
        if ([...field.options].some((o) => o.value === zone)) field.value = zone;
      } else if (field instanceof HTMLInputElement) {
        field.value = zone;
      }
    }
  }

  for (const select of document.querySelectorAll("select[data-frequency]")) {
    const weekly = select.form?.querySelector("[data-weekly]");
    if (!weekly) continue;
    const sync = () => {
      weekly.hidden = select.value !== "weekly";
    };
    select.addEventListener("change", sync);
    sync();
  }
})();
