// Webhooks: endpoints (add, delete) with their recent deliveries (redeliver), the per-job
// signing secret (reveal, rotate), and every destination's deliveries.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;

  function statusText(d) {
    return d.status + (d.last_error ? ": " + d.last_error : "");
  }

  // One endpoint's recent deliveries, each with a Redeliver button (same webhook-id, same body).
  async function endpointDeliveries(h, box) {
    var rows = await A.api("GET", "/v1/webhooks/" + h.id + "/deliveries?limit=10");
    box.replaceChildren();
    if (!rows.length) { box.append(el("p", { class: "empty", text: "No deliveries to this endpoint yet." })); return; }
    var head = el("tr", {}, ["When", "Event", "Status", "Attempts", "Response", ""].map(function (t) { return el("th", { scope: "col", text: t }); }));
    var tbody = el("tbody");
    rows.forEach(function (d) {
      var open = d.status === "pending" || d.status === "delivering";
      var button = el("button", { type: "button", class: "small", text: "Redeliver", disabled: open || h.disabled_at ? "disabled" : null,
        "aria-label": "Redeliver " + d.event_type + " " + d.id, onclick: function () {
          A.guard(async function () {
            await A.api("POST", "/v1/webhooks/" + h.id + "/deliveries/" + d.id + "/redeliver");
            A.flash("Queued for redelivery");
            await endpointDeliveries(h, box);
            await loadDeliveries();
          });
        } });
      tbody.append(el("tr", { "data-delivery-id": d.id, "data-status": d.status }, [
        el("td", { text: A.when(d.delivered_at || d.next_attempt_at || d.created_at) }), el("td", { text: d.event_type }),
        el("td", { class: "state", text: statusText(d) }), el("td", { text: d.attempts }),
        el("td", { class: "code", text: d.last_status_code === null ? "—" : d.last_status_code }), el("td", {}, [button])]));
    });
    box.append(el("div", { class: "table-wrap" }, [el("table", { class: "deliveries", "aria-label": "Deliveries to " + h.url }, [el("thead", {}, [head]), tbody])]));
  }

  async function loadEndpoints() {
    var hooks = await A.api("GET", "/v1/webhooks");
    var list = document.getElementById("hooks");
    list.replaceChildren();
    hooks.forEach(function (h) {
      var box = el("div", { class: "endpoint-deliveries" });
      list.append(el("li", { "data-endpoint-id": h.id }, [el("code", { text: h.url }), el("span", { class: "muted", text: (h.event_types.join(", ") || "all events") }),
        h.disabled_at ? el("span", { class: "badge", text: "disabled: " + (h.disabled_reason || "") }) : "",
        el("button", { type: "button", class: "danger", text: "Delete", "aria-label": "Delete endpoint " + h.url, onclick: function () {
          if (!confirm("Delete the endpoint " + h.url + "?")) return;
          A.guard(async function () { await A.api("DELETE", "/v1/webhooks/" + h.id); await loadEndpoints(); });
        } }),
        el("button", { type: "button", text: "Rotate secret", "aria-label": "Rotate the signing secret of " + h.url, onclick: function () {
          if (!confirm("Rotate the signing secret of " + h.url + "? Its receiver must switch to the new one.")) return;
          A.guard(async function () {
            var rotated = await A.api("POST", "/v1/webhooks/" + h.id + "/secret/rotate");
            A.flash("New signing secret for " + h.url + " (shown once): " + rotated.secret);
          });
        } }), box]));
      A.guard(function () { return endpointDeliveries(h, box); });
    });
    document.getElementById("hooks-empty").hidden = hooks.length > 0;
  }

  async function loadDeliveries() {
    var rows = await A.api("GET", "/v1/webhooks/deliveries?limit=50");
    var tbody = document.querySelector("#deliveries tbody");
    tbody.replaceChildren();
    rows.forEach(function (d) {
      tbody.append(el("tr", {}, [el("td", { text: A.when(d.delivered_at || d.next_attempt_at) }), el("td", { text: d.event_type }),
        el("td", { text: d.url }), el("td", { text: statusText(d) + (d.last_status_code ? " (" + d.last_status_code + ")" : "") }),
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
