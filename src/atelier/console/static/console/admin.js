// Administration: component and provider health, roles, plans, the audit log.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;

  async function loadHealth() {
    var response = await fetch("/monitoring/health", { credentials: "same-origin" });
    var report = await response.json();
    var pairs = [["Overall", report.status]];
    Object.keys(report.components || report.checks || {}).forEach(function (name) {
      var c = (report.components || report.checks)[name];
      pairs.push([name, (c.status || "") + (c.breaker ? " · breaker " + c.breaker : "") + (c.detail ? " · " + c.detail : "")]);
    });
    A.facts(document.getElementById("health"), pairs);
  }

  async function loadAudit(action) {
    var rows = await A.api("GET", "/v1/audit?limit=100" + (action ? "&action=" + encodeURIComponent(action) : ""));
    var tbody = document.querySelector("#audit tbody");
    tbody.replaceChildren();
    rows.forEach(function (r) {
      tbody.append(el("tr", {}, [el("td", { text: A.when(r.created_at) }), el("td", { text: r.action }), el("td", { text: r.actor_id || "—" }),
        el("td", { text: r.target || "—" }), el("td", { text: r.ip || "—" })]));
    });
    document.getElementById("audit-empty").hidden = rows.length > 0;
  }

  var roleForm = document.getElementById("role-form");
  roleForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var d = new FormData(roleForm);
    A.guard(async function () { await A.api("PUT", "/v1/admin/users/" + encodeURIComponent(d.get("user_id")) + "/role", { role: d.get("role") }); A.flash("Role changed"); });
  });
  document.getElementById("set-status").addEventListener("click", function () {
    var d = new FormData(roleForm);
    A.guard(async function () { await A.api("PUT", "/v1/admin/users/" + encodeURIComponent(d.get("user_id")) + "/status", { active: d.get("active") === "true" }); A.flash("Status changed"); });
  });
  var planForm = document.getElementById("plan-form");
  planForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var d = new FormData(planForm);
    A.guard(async function () { await A.api("PUT", "/v1/admin/organizations/" + encodeURIComponent(d.get("org_id")) + "/plan", { plan: d.get("plan") }); A.flash("Plan changed"); });
  });
  document.getElementById("audit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    A.guard(function () { return loadAudit(new FormData(event.target).get("action")); });
  });
  A.guard(async function () {
    (await A.api("GET", "/v1/plans")).forEach(function (p) { document.getElementById("plans").append(el("option", { value: p.name, text: p.name })); });
  });
  A.guard(loadHealth);
  A.guard(function () { return loadAudit(""); });
})();
