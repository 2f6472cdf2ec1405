// Live availability and price for the booking form (progressive enhancement: without this
// script the "Show free slots" button asks the server for the same list, and the price line is
// rendered by the server for the slot the page was opened with).
(function () {
  "use strict";
  const form = document.querySelector("form[data-slots-url]");
  const box = document.getElementById("slots");
  if (!form || !box || !window.fetch) return;

  const field = (name) => form.elements.namedItem(name);
  const watched = ["space", "date", "start_time", "end_time", "units", "holder"];
  let controller = null;
  let priceController = null;
  const priceLine = document.getElementById("price");
  const priceText = priceLine && priceLine.querySelector("[data-price-text]");
  // The cancellation terms the booking would have (free until…, grace after booking).
  const termsLine = document.getElementById("terms");
  const termsText = termsLine && termsLine.querySelector("[data-terms-text]");

  function showTerms(body) {
    if (!termsText) return;
    termsText.textContent = body && body.terms ? body.terms : "";
    termsLine.hidden = !termsText.textContent;
  }

  function minutes() {
    const start = field("start_time").value, end = field("end_time").value;
    if (!start || !end) return "";
    const toMinutes = (v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5));
    const diff = toMinutes(end) - toMinutes(start);
    return diff > 0 ? String(diff) : "";
  }

  async function refresh() {
    const space = field("space").value, day = field("date").value;
    if (!space || !day) return;
    const params = new URLSearchParams({ space: space, date: day });
    const duration = minutes();
    if (duration) params.set("duration", duration);
    const units = field("units");
    if (units && units.value) params.set("units", units.value);
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(form.dataset.slotsUrl + "?" + params.toString(), {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok && !response.redirected) box.innerHTML = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") box.setAttribute("data-error", "1");
    }
  }

  // The price of the chosen slot, from the server (the same quote the booking will get).
  async function refreshPrice() {
    if (!priceText || !form.dataset.quoteUrl) return;
    const params = new URLSearchParams();
    for (const name of watched) {
      const input = field(name);
      if (input && input.value) params.set(name, input.value);
    }
    if (priceController) priceController.abort();
    priceController = new AbortController();
    try {
      const response = await fetch(form.dataset.quoteUrl + "?" + params.toString(), {
        signal: priceController.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      });
      const body = response.ok ? await response.json() : null;
      priceText.textContent = body && body.text ? body.text : "";
      priceLine.hidden = !priceText.textContent;
      showTerms(body);
    } catch (error) {
      if (error.name !== "AbortError") {
        priceLine.hidden = true;
        if (termsLine) termsLine.hidden = true;
      }
    }
  }

  form.addEventListener("change", (event) => {
    if (watched.includes(event.target.name)) {
      refresh();
      refreshPrice();
    }
  });

  // A slot (in the list or among a conflict's alternatives) fills the form instead of leaving.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.slot[data-start]");
    if (!link) return;
    const space = field("space");
    if (link.dataset.space && space && space.value !== link.dataset.space) {
      space.value = link.dataset.space;
    }
    event.preventDefault();
    field("date").value = link.dataset.date;
    field("start_time").value = link.dataset.start;
    field("end_time").value = link.dataset.end;
    field("start_time").focus();
    refresh();
    refreshPrice();
  });

  const button = form.querySelector("[data-slots-button]");
  if (button) button.hidden = true;
})();
