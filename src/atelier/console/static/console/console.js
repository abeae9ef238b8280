// Atelier Console: shared helpers. Every page calls the /v1 API with the session cookie
// (sent by the browser) and this page's CSRF token; an API error's message is shown as is.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var flashBox = document.getElementById("flash");

  function flash(message, isError) {
    flashBox.textContent = message;
    flashBox.classList.toggle("is-error", !!isError);
    flashBox.hidden = false;
    if (!isError) setTimeout(function () { if (flashBox.textContent === message) flashBox.hidden = true; }, 4000);
  }

  function errorText(status, body) {
    var err = body && body.error;
    if (err && err.message) {
      var fields = (err.details && err.details.fields) || [];
      var extra = fields.map(function (f) { return f.field + ": " + f.message; }).join("; ");
      return err.message + (extra ? " (" + extra + ")" : "");
    }
    return "Request failed (HTTP " + status + ")";
  }

  async function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    var response = await fetch(path, options);
    if (response.status === 204) return null;
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      var error = new Error(errorText(response.status, data));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // Runs an async action, showing its error (never a stack trace) in the flash area.
  async function guard(action) {
    try { return await action(); } catch (e) { flash(e.message || String(e), true); return undefined; }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.append(c instanceof Node ? c : document.createTextNode(String(c))); });
    return node;
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : "—"; }

  function facts(dl, pairs) {
    dl.replaceChildren();
    pairs.forEach(function (p) { dl.append(el("dt", { text: p[0] }), el("dd", { text: p[1] === null || p[1] === undefined || p[1] === "" ? "—" : p[1] })); });
  }

  // Theme: system by default; the toggle cycles dark/light and remembers the choice.
  var toggle = document.getElementById("theme-toggle");
  function currentTheme() {
    var set = document.documentElement.dataset.theme;
    if (set) return set;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function showTheme() {
    var dark = currentTheme() === "dark";
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
    toggle.textContent = dark ? "Light theme" : "Dark theme";
  }
  toggle.addEventListener("click", function () {
    var next = currentTheme() === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem("atelier-theme", next); } catch (e) { /* storage disabled */ }
    showTheme();
  });
  showTheme();

  // Copy buttons: data-copy names the element whose text is copied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    var text = source ? (source.value || source.textContent) : "";
    var done = function () { flash("Copied to the clipboard"); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () { flash("Copy failed: select the text and copy it", true); });
    else { var r = document.createRange(); r.selectNodeContents(source); var s = getSelection(); s.removeAllRanges(); s.addRange(r); document.execCommand("copy"); done(); }
  });

  // The organization switcher: with more than one organization, a picker; the choice is kept
  // in a cookie the server reads for this session's requests (membership checked each time).
  (function organizations() {
    var box = document.getElementById("org-switcher");
    var select = document.getElementById("org-select");
    if (!box || !select) return;
    guard(async function () {
      var orgs = await api("GET", "/v1/organizations");
      if (!orgs || orgs.length < 2) return;
      orgs.forEach(function (o) {
        select.append(el("option", { value: o.organization_id, selected: o.organization_id === box.dataset.organizationId ? "selected" : null, text: o.name + " (" + o.role + ")" }));
      });
      document.getElementById("org-name").hidden = true;
      select.hidden = false;
      select.addEventListener("change", function () {
        var secure = location.protocol === "https:" ? "; Secure" : "";
        document.cookie = "atelier_org=" + encodeURIComponent(select.value) + "; Path=/; SameSite=Lax; Max-Age=31536000" + secure;
        location.reload();
      });
    });
  })();

  // For a list a filter reloads: each load takes a ticket, and only the newest ticket's
  // response is drawn (an older one still in flight when the filter changed is dropped).
  function latest() {
    var newest = 0;
    return { take: function () { newest += 1; return newest; }, current: function (ticket) { return ticket === newest; } };
  }

  window.Atelier = { api: api, guard: guard, flash: flash, el: el, when: when, facts: facts, csrf: csrf, latest: latest };
})();
