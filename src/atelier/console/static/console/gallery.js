// Gallery: GET /v1/assets with the filters, a grid of thumbnails, favourite in place.
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;
  var form = document.getElementById("filters"), grid = document.getElementById("gallery");
  var more = document.getElementById("more"), offset = 0, PAGE = 24;

  A.guard(async function () {
    var projects = await A.api("GET", "/v1/projects");
    var list = Array.isArray(projects) ? projects : (projects.data || []);
    list.forEach(function (p) { document.getElementById("project").append(el("option", { value: p.id, text: p.name || p.id })); });
    var models = await A.api("GET", "/v1/models");
    models.data.forEach(function (m) { document.getElementById("filter-model").append(el("option", { value: m.id, text: m.id })); });
  });

  function query() {
    var data = new FormData(form), params = new URLSearchParams();
    [["q", "q"], ["project", "project"], ["model", "model"], ["favorite", "favorite"], ["public", "public"]].forEach(function (p) {
      var v = data.get(p[0]); if (v) params.set(p[1], v);
    });
    if (data.get("since")) params.set("since", data.get("since") + "T00:00:00Z");
    if (data.get("until")) params.set("until", data.get("until") + "T23:59:59Z");
    params.set("limit", PAGE); params.set("offset", offset);
    return params.toString();
  }

  function card(asset) {
    var fav = el("button", { type: "button", class: "ghost", "aria-pressed": asset.favorite ? "true" : "false",
      "aria-label": "Favourite", title: "Favourite", text: asset.favorite ? "★" : "☆" });
    fav.addEventListener("click", function () {
      A.guard(async function () {
        var updated = await A.api("PATCH", "/v1/assets/" + asset.id, { favorite: !asset.favorite });
        asset.favorite = updated.favorite;
        fav.setAttribute("aria-pressed", asset.favorite ? "true" : "false");
        fav.textContent = asset.favorite ? "★" : "☆";
      });
    });
    var label = asset.prompt || asset.id;
    return el("li", { "data-asset-id": asset.id }, [
      el("a", { href: "/gallery/" + asset.id }, [
        el("img", { src: "/console/assets/" + asset.id + "/thumbnail", alt: label, loading: "lazy", width: 320,
          height: Math.round(320 * asset.height / asset.width) }),
      ]),
      el("div", { class: "meta" }, [
        el("span", { class: "prompt", title: label, text: label }),
        asset.public ? el("span", { class: "badge", text: "public" }) : "",
        fav,
      ]),
    ]);
  }

  // Each search takes a ticket; a response to an older one (the first page still in flight
  // when the filters are applied) is dropped, never appended to the new results.
  var searches = A.latest(), search = 0;

  async function load(reset) {
    if (reset) { offset = 0; search = searches.take(); }
    var mine = search;
    var page = await A.api("GET", "/v1/assets?" + query());
    if (!searches.current(mine)) return;
    if (reset) grid.replaceChildren();
    page.data.forEach(function (a) { grid.append(card(a)); });
    offset += page.data.length;
    document.getElementById("gallery-empty").hidden = page.total !== 0;
    more.hidden = offset >= page.total;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); A.guard(function () { return load(true); }); });
  more.addEventListener("click", function () { A.guard(function () { return load(false); }); });
  A.guard(function () { return load(true); });
})();
