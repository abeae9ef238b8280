// Usage: GET /v1/usage drawn as an inline SVG bar chart; credits, ledger and budgets.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el, NS = "http://www.w3.org/2000/svg";
  var form = document.getElementById("usage-form");

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chart(rows, group, measure) {
    var box = document.getElementById("chart");
    box.replaceChildren();
    document.getElementById("chart-empty").hidden = rows.length > 0;
    if (!rows.length) return;
    var W = 720, H = 260, pad = 36, bw = Math.min(60, (W - pad * 2) / rows.length - 6);
    var values = rows.map(function (r) { return Number(r[measure]) || 0; });
    var max = Math.max.apply(null, values.concat([1e-9]));
    var title = "Usage by " + group + ": " + measure;
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title });
    root.append(svg("title", {}, title));
    root.append(svg("line", { class: "axis", x1: pad, y1: H - pad, x2: W - pad / 2, y2: H - pad }));
    rows.forEach(function (r, i) {
      var h = (values[i] / max) * (H - pad * 2), x = pad + i * ((W - pad * 2) / rows.length) + 3, y = H - pad - h;
      var label = String(r[group] === null ? "(none)" : r[group]);
      var bar = svg("rect", { class: "bar", x: x, y: y, width: bw, height: Math.max(h, 1) });
      bar.append(svg("title", {}, label + ": " + r[measure]));
      root.append(bar);
      root.append(svg("text", { x: x + bw / 2, y: y - 4, "text-anchor": "middle" }, String(r[measure])));
      root.append(svg("text", { x: x + bw / 2, y: H - pad + 14, "text-anchor": "middle" }, label.length > 12 ? label.slice(0, 11) + "…" : label));
    });
    box.append(root);
  }

  async function loadUsage() {
    var data = new FormData(form), params = new URLSearchParams({ group_by: data.get("group_by") });
    if (data.get("from")) params.set("from", data.get("from"));
    if (data.get("to")) params.set("to", data.get("to"));
    var usage = await A.api("GET", "/v1/usage?" + params);
    chart(usage.data, usage.group_by, data.get("measure"));
  }

  async function loadCredits() {
    var c = await A.api("GET", "/v1/credits");
    A.facts(document.getElementById("credits"), [["Plan", c.plan], ["Remaining", c.unlimited ? "unlimited" : c.remaining],
      ["Of", c.unlimited ? "—" : c.total], ["Last refill", A.when(c.last_refill)]]);
    var ledger = await A.api("GET", "/v1/credits/ledger?limit=50");
    var rows = Array.isArray(ledger) ? ledger : (ledger.data || []);
    var tbody = document.querySelector("#ledger tbody");
    tbody.replaceChildren();
    rows.forEach(function (e) {
      tbody.append(el("tr", {}, [el("td", { text: A.when(e.created_at) }), el("td", { text: e.kind }), el("td", { text: e.amount }),
        el("td", { text: e.balance_after }), el("td", { text: e.amount_usd || "—" }), el("td", { text: e.note || "" })]));
    });
    document.getElementById("ledger-empty").hidden = rows.length > 0;
    await loadBudgets();
  }

  // Each capped period: spent against the cap, with the alert thresholds marked on a meter.
  async function loadBudgets() {
    var b = await A.api("GET", "/v1/budgets");
    document.getElementById("daily").value = b.daily_usd || "";
    document.getElementById("monthly").value = b.monthly_usd || "";
    document.getElementById("thresholds").textContent = b.thresholds.map(function (t) { return t + "%"; }).join(", ");
    var box = document.getElementById("budget-periods");
    box.replaceChildren();
    b.periods.forEach(function (p) {
      var label = (p.kind === "daily" ? "Daily" : "Monthly") + " cap $" + Number(p.cap_usd).toFixed(2);
      var meter = el("div", { class: "meter", role: "meter", "aria-label": label + " used", "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": String(Math.min(p.used_pct, 100)) }, [el("span", { class: "fill", style: "width:" + Math.min(p.used_pct, 100) + "%" })]
        .concat(b.thresholds.map(function (t) { return el("span", { class: "mark", style: "left:calc(" + t + "% - 1px)", title: t + "% alert" }); })));
      var alerts = b.thresholds.map(function (t) { return t + "%" + (p.alerted_pct >= t ? " ✓ sent" : ""); }).join(" · ");
      box.append(el("div", { class: "budget-period", "data-kind": p.kind }, [
        el("p", { class: "small" }, [el("strong", { text: label }), " — spent $" + Number(p.spent_usd).toFixed(4) + ", in flight $" +
          Number(p.reserved_usd).toFixed(4) + " (" + p.used_pct + "% used, " + p.period.slice(2) + ")"]),
        meter, el("p", { class: "muted small", text: "Alerts: " + alerts })]));
    });
    document.getElementById("budget-empty").hidden = b.periods.length > 0;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); A.guard(loadUsage); });
  document.getElementById("budget-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var d = document.getElementById("daily").value, m = document.getElementById("monthly").value;
    A.guard(async function () {
      await A.api("PUT", "/v1/budgets", { daily_usd: d === "" ? null : d, monthly_usd: m === "" ? null : m });
      A.flash("Budgets saved");
      await loadBudgets();
    });
  });
  A.guard(loadUsage);
  A.guard(loadCredits);
})();
