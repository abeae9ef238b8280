// One image: its facts, parameters, spec SVG and provenance; favourite, publish, delete.
(function () {
  "use strict";
  var A = window.Atelier;
  var id = document.getElementById("asset").dataset.assetId;
  var asset = null;

  function show() {
    var fav = document.getElementById("fav"), pub = document.getElementById("pub");
    fav.setAttribute("aria-pressed", asset.favorite ? "true" : "false");
    fav.textContent = asset.favorite ? "★ Favourite" : "☆ Favourite";
    pub.setAttribute("aria-pressed", asset.public ? "true" : "false");
    pub.textContent = asset.public ? "Public (unpublish)" : "Publish";
    var share = document.getElementById("share"), link = document.getElementById("share-link");
    share.hidden = !asset.share_url;
    if (asset.share_url) { link.href = asset.share_url; link.textContent = new URL(asset.share_url, location.href).href; }
    document.getElementById("asset-image").alt = asset.prompt || "The image";
  }

  async function load() {
    asset = await A.api("GET", "/v1/assets/" + id);
    show();
    var job = await A.api("GET", "/v1/generations/" + asset.job_id);
    A.facts(document.getElementById("asset-facts"), [
      ["Prompt", asset.prompt], ["Model", job.model], ["Engine", job.engine], ["Size", asset.width + "×" + asset.height],
      ["Format", asset.format], ["Bytes", asset.bytes], ["Cost", "$" + job.cost_usd], ["Created", A.when(asset.created_at)],
      ["Notes", (job.notes || []).join(" · ")],
    ]);
    document.getElementById("asset-params").textContent = JSON.stringify(
      { model: job.model, size: job.size, format: job.format, n: job.n, project_id: job.project_id, attempts: job.attempts }, null, 2);
    document.getElementById("asset-provenance").textContent = JSON.stringify(
      { job_id: asset.job_id, engine: job.engine, synthid: asset.synthid, fidelity: job.fidelity, created_at: asset.created_at }, null, 2);
    var specBox = document.getElementById("spec-box");
    if (!asset.spec) { specBox.querySelector(".spec").textContent = "This image has no design spec (only the design engine records one)."; return; }
    var response = await fetch("/v1/assets/" + id + "/svg", { credentials: "same-origin" });
    if (!response.ok) { specBox.querySelector(".spec").textContent = "No SVG for this spec."; return; }
    // As an image, never inlined: nothing in the SVG can run as script on this page.
    var url = URL.createObjectURL(await response.blob());
    document.getElementById("spec-svg").replaceChildren(A.el("img", { src: url, alt: "Design spec of this image" }));
  }

  function patch(change) {
    return A.guard(async function () { asset = Object.assign(asset, await A.api("PATCH", "/v1/assets/" + id, change)); show(); });
  }
  document.getElementById("fav").addEventListener("click", function () { patch({ favorite: !asset.favorite }); });
  document.getElementById("pub").addEventListener("click", function () { patch({ public: !asset.public }); });
  document.getElementById("del").addEventListener("click", function () {
    if (!confirm("Delete this image? Its file is removed.")) return;
    A.guard(async function () { await A.api("DELETE", "/v1/assets/" + id); location.href = "/gallery"; });
  });
  A.guard(load);
})();
