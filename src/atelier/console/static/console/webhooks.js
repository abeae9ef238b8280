// Webhooks: endpoints (add, delete), the per-job signing secret (reveal, rotate), deliveries.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;

  async function loadEndpoints() {
    var hooks = await A.api("GET", "/v1/webhooks");
    var list = document.getElementById("hooks");
    list.replaceChildren();
    hooks.forEach(function (h) {
      list.append(el("li", {}, [el("code", { text: h.url }), el("span", { class: "muted", text: (h.event_types.join(", ") || "all events") }),
        h.disabled_at ? el("span", { class: "badge", text: "disabled: " + (h.disabled_reason || "") }) : "",
        el("button", { type: "button", class: "danger", text: "Delete", "aria-label": "Delete endpoint " + h.url, onclick: function () {
          if (!confirm("Delete the endpoint " + h.url + "?")) return;
          A.guard(async function () { await A.api("DELETE", "/v1/webhooks/" + h.id); await loadEndpoints(); });
        } })]));
    });
    document.getElementById("hooks-empty").hidden = hooks.length > 0;
  }

  async function loadDeliveries() {
    var rows = await A.api("GET", "/v1/webhooks/deliveries?limit=50");
    var tbody = document.querySelector("#deliveries tbody");
    tbody.replaceChildren();
    rows.forEach(function (d) {
      tbody.append(el("tr", {}, [el("td", { text: A.when(d.delivered_at || d.next_attempt_at) }), el("td", { text: d.event_type }),
        el("td", { text: d.url }), el("td", { text: d.status + (d.last_status_code ? " (" + d.last_status_code + ")" : "") + (d.last_error ? ": " + d.last_error : "") }),
        el("td", { text: d.attempts })]));
    });
    document.getElementById("deliveries-empty").hidden = rows.length > 0;
  }

  A.guard(async function () {
    var types = await A.api("GET", "/v1/webhooks/event-types");
    var box = document.getElementById("event-types");
    types.forEach(function (t) {
      box.append(el("label", { class: "check", title: t.description }, [el("input", { type: "checkbox", name: "event_types", value: t.type }), " " + t.type]));
    });
  });
  document.getElementById("hook-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    A.guard(async function () {
      var created = await A.api("POST", "/v1/webhooks", { url: data.get("url"), event_types: data.getAll("event_types") });
      A.flash("Endpoint added. Its signing secret (shown once): " + created.secret);
      event.target.reset();
      await loadEndpoints();
    });
  });
  document.getElementById("reveal").addEventListener("click", function () {
    A.guard(async function () { document.getElementById("secret").textContent = (await A.api("GET", "/v1/webhooks/signing-secret")).secret; });
  });
  document.getElementById("rotate").addEventListener("click", function () {
    if (!confirm("Rotate the signing secret? Receivers must switch to the new one.")) return;
    A.guard(async function () {
      document.getElementById("secret").textContent = (await A.api("POST", "/v1/webhooks/signing-secret/rotate")).secret;
      A.flash("Signing secret rotated");
    });
  });
  A.guard(loadEndpoints);
  A.guard(loadDeliveries);
})();
