// Administration: component and provider health with breaker states, users and roles,
// organizations and plans, the audit log with filters (actor, action, dates).
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;
  var emails = {};  // user id -> email, to name the audit log's actors

  async function loadHealth() {
    var response = await fetch("/monitoring/health", { credentials: "same-origin", headers: { "Accept": "application/json" } });
    var report = await response.json();
    document.getElementById("health-overall").textContent = report.status;
    var services = report.services || {};
    var tbody = document.querySelector("#health tbody");
    tbody.replaceChildren();
    Object.keys(services).sort().forEach(function (name) {
      var c = services[name];
      tbody.append(el("tr", { "data-component": name }, [el("th", { scope: "row", text: name }), el("td", { class: "state", text: c.status }),
        el("td", { class: "breaker", text: c.breaker || "—" }), el("td", { text: c.detail || (c.model ? c.provider + " · " + c.model : "") })]));
    });
  }

  var userLists = A.latest();

  async function loadUsers(email) {
    var ticket = userLists.take();
    var users = await A.api("GET", "/v1/admin/users?limit=200" + (email ? "&email=" + encodeURIComponent(email) : ""));
    if (!userLists.current(ticket)) return;
    var tbody = document.querySelector("#users tbody"), pick = document.getElementById("role-user");
    tbody.replaceChildren();
    pick.replaceChildren();
    users.forEach(function (u) {
      emails[u.id] = u.email;
      tbody.append(el("tr", { "data-user-id": u.id }, [el("td", { text: u.email }), el("td", { class: "role", text: u.role }),
        el("td", { text: u.is_active ? "active" : "disabled" }), el("td", {}, [el("code", { text: u.organization_id })]), el("td", { text: A.when(u.created_at) })]));
      pick.append(el("option", { value: u.id, text: u.email }));
    });
    document.getElementById("users-empty").hidden = users.length > 0;
  }

  async function loadOrgs() {
    var orgs = await A.api("GET", "/v1/admin/organizations?limit=200");
    var tbody = document.querySelector("#orgs tbody"), pick = document.getElementById("plan-org");
    tbody.replaceChildren();
    pick.replaceChildren();
    orgs.forEach(function (o) {
      tbody.append(el("tr", { "data-org-id": o.id }, [el("td", { text: o.name }), el("td", { class: "plan", text: o.plan }), el("td", { text: o.users }),
        el("td", {}, [el("code", { text: o.id })])]));
      pick.append(el("option", { value: o.id, text: o.name + " (" + o.plan + ")" }));
    });
  }

  var audits = A.latest();

  async function loadAudit() {
    var data = new FormData(document.getElementById("audit-form")), params = new URLSearchParams({ limit: "100" });
    ["actor", "action", "from", "to"].forEach(function (k) { var v = (data.get(k) || "").trim(); if (v) params.set(k, v); });
    var ticket = audits.take();
    var rows = await A.api("GET", "/v1/audit?" + params);
    if (!audits.current(ticket)) return;
    var tbody = document.querySelector("#audit tbody"), actions = document.getElementById("audit-actions");
    tbody.replaceChildren();
    rows.forEach(function (r) {
      tbody.append(el("tr", { "data-action": r.action }, [el("td", { text: A.when(r.created_at) }), el("td", { text: r.action }),
        el("td", { text: r.actor_id ? (emails[r.actor_id] || r.actor_id) : "—" }), el("td", { text: r.target || "—" }), el("td", { text: r.ip || "—" })]));
      if (!actions.querySelector('option[value="' + CSS.escape(r.action) + '"]')) actions.append(el("option", { value: r.action }));
    });
    document.getElementById("audit-empty").hidden = rows.length > 0;
  }

  var roleForm = document.getElementById("role-form");
  roleForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var d = new FormData(roleForm);
    A.guard(async function () {
      await A.api("PUT", "/v1/admin/users/" + encodeURIComponent(d.get("user_id")) + "/role", { role: d.get("role") });
      A.flash("Role changed");
      await loadUsers(document.getElementById("users-email").value);
    });
  });
  document.getElementById("set-status").addEventListener("click", function () {
    var d = new FormData(roleForm);
    A.guard(async function () {
      await A.api("PUT", "/v1/admin/users/" + encodeURIComponent(d.get("user_id")) + "/status", { active: d.get("active") === "true" });
      A.flash("Status changed");
      await loadUsers(document.getElementById("users-email").value);
    });
  });
  document.getElementById("users-filter").addEventListener("submit", function (event) {
    event.preventDefault();
    A.guard(function () { return loadUsers(document.getElementById("users-email").value); });
  });
  var planForm = document.getElementById("plan-form");
  planForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var d = new FormData(planForm);
    A.guard(async function () {
      await A.api("PUT", "/v1/admin/organizations/" + encodeURIComponent(d.get("org_id")) + "/plan", { plan: d.get("plan") });
      A.flash("Plan changed");
      await loadOrgs();
    });
  });
  document.getElementById("audit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    A.guard(loadAudit);
  });
  document.getElementById("health-refresh").addEventListener("click", function () { A.guard(loadHealth); });
  A.guard(async function () {
    (await A.api("GET", "/v1/plans")).forEach(function (p) { document.getElementById("plans").append(el("option", { value: p.name, text: p.name })); });
  });
  A.guard(loadHealth);
  A.guard(loadOrgs);
  A.guard(async function () { await loadUsers(""); await loadAudit(); });
})();
