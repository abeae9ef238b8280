// API keys: create (scopes, expiry; the key shown once), list and revoke.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;
  var tbody = document.querySelector("#keys-table tbody");

  function state(key) {
    if (key.revoked_at) return "revoked";
    if (key.expires_at && new Date(key.expires_at) <= new Date()) return "expired";
    return "active";
  }

  async function load() {
    var keys = await A.api("GET", "/v1/keys");
    tbody.replaceChildren();
    keys.forEach(function (key) {
      var revoke = key.revoked_at ? "" : el("button", { type: "button", class: "danger", text: "Revoke", "aria-label": "Revoke key " + key.name,
        onclick: function () {
          if (!confirm("Revoke the key " + key.name + "? Programs using it stop working.")) return;
          A.guard(async function () { await A.api("DELETE", "/v1/keys/" + key.id); A.flash("Key revoked"); await load(); });
        } });
      tbody.append(el("tr", { "data-key-id": key.id }, [
        el("td", { text: key.name }), el("td", {}, [el("code", { text: key.prefix })]), el("td", { text: key.scopes.join(", ") }),
        el("td", { text: A.when(key.created_at) }), el("td", { text: A.when(key.last_used_at) }),
        el("td", { text: key.expires_at ? A.when(key.expires_at) : "never" }), el("td", { class: "state", text: state(key) }), el("td", {}, [revoke]),
      ]));
    });
    document.getElementById("keys-empty").hidden = keys.length > 0;
  }

  document.getElementById("key-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    var body = { name: data.get("name"), scopes: data.getAll("scopes") };
    if (data.get("expires_in_days")) body.expires_in_days = Number(data.get("expires_in_days"));
    A.guard(async function () {
      var created = await A.api("POST", "/v1/keys", body);
      document.getElementById("new-key-value").textContent = created.key;
      var box = document.getElementById("new-key");
      box.hidden = false;
      box.querySelector("button").focus();
      await load();
    });
  });
  A.guard(load);
})();
