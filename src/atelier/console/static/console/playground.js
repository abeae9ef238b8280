// Playground: submit POST /v1/generations, follow the job's Server-Sent Events, show the
// images and the job's facts as they arrive (no reload).
(function () {
  "use strict";
  var A = window.Atelier, el = A.el;
  var form = document.getElementById("generate-form");
  var modelSelect = document.getElementById("model");
  var models = {};
  var last = null; // the last request body, for "vary" and "redraw"

  function describeModel() {
    var m = models[modelSelect.value];
    if (!m) return;
    var caps = m.capabilities || {};
    document.getElementById("model-info").textContent =
      "Tasks: " + (caps.tasks || []).join(", ") + " · up to " + (caps.max_n || "?") + " images · formats " +
      (caps.formats || []).join("/") + " · $" + m.price_per_image_usd + " per image";
  }

  A.guard(async function () {
    var listing = await A.api("GET", "/v1/models");
    modelSelect.replaceChildren();
    listing.data.forEach(function (m) {
      models[m.id] = m;
      var price = Number(m.price_per_image_usd) ? " ($" + m.price_per_image_usd + ")" : " (free)";
      modelSelect.append(el("option", { value: m.id, text: m.id + price }));
    });
    describeModel();
  });
  modelSelect.addEventListener("change", describeModel);
  var safe = document.getElementById("safe");
  safe.addEventListener("input", function () { document.getElementById("safe-out").textContent = safe.value; });

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(new Error("Could not read the reference image")); };
      reader.readAsDataURL(file);
    });
  }

  async function bodyFromForm() {
    var data = new FormData(form);
    var body = { prompt: String(data.get("prompt") || "").trim(), model: data.get("model"), size: data.get("size"),
      format: data.get("format"), n: Number(data.get("n") || 1) };
    if (data.get("seed") !== "") body.seed = Number(data.get("seed"));
    var palette = [];
    form.querySelectorAll("#palette .swatch").forEach(function (s) {
      if (s.querySelector("[name=use_color]").checked) palette.push(s.querySelector("[name=color]").value);
    });
    var fonts = String(data.get("fonts") || "").split(",").map(function (f) { return f.trim(); }).filter(Boolean);
    body.constraints = { palette_hex: palette, fonts: fonts, logo_safe_zone_pct: Number(data.get("safe_zone") || 0) };
    var file = document.getElementById("reference").files[0];
    if (file) body.references = [await readFile(file)];
    return body;
  }

  function showJob(job) {
    document.getElementById("progress").value = job.progress || 0;
    document.getElementById("status-text").textContent = job.status + " " + Math.round((job.progress || 0) * 100) + "%";
  }

  function showResult(job) {
    showJob(job);
    var results = document.getElementById("results");
    results.replaceChildren();
    (job.assets || []).forEach(function (asset, i) {
      var src = "/console/assets/" + asset.id + "/image";
      results.append(el("figure", { class: "result" }, [
        el("a", { href: "/gallery/" + asset.id }, [el("img", { src: src, alt: "Result " + (i + 1) + ": " + (last ? last.prompt : ""), width: asset.width, height: asset.height })]),
        el("figcaption", { class: "row" }, [el("a", { class: "button", href: src + "?download=1", download: "" }, ["Download"])]),
      ]));
    });
    var fid = (job.fidelity || []).map(function (f, i) {
      var bits = Object.keys(f).filter(function (k) { return typeof f[k] !== "object"; }).map(function (k) { return k + " " + f[k]; });
      return "#" + (i + 1) + ": " + bits.join(", ");
    }).join(" | ");
    var factsList = document.getElementById("job-facts");
    A.facts(factsList, [
      ["Status", job.status], ["Cost", "$" + job.cost_usd], ["Engine", job.engine], ["Model", job.model], ["Size", job.size],
      ["Attempts", (job.attempts || []).map(function (a) { return (a.engine || a.deployment || "?") + " " + (a.outcome || a.status || ""); }).join("; ")],
      ["Notes", (job.notes || []).join(" · ")], ["Fidelity", fid],
      ["Error", job.error ? job.error.message : null],
    ]);
    factsList.hidden = false;
    document.getElementById("job-actions").hidden = job.status !== "succeeded";
    document.getElementById("result-empty").hidden = true;
    if (job.error) A.flash(job.error.message, true);
  }

  function follow(job) {
    return new Promise(function (resolve) {
      var source = new EventSource("/v1/generations/" + job.id + "/events");
      var finish = function (event) { source.close(); resolve(JSON.parse(event.data)); };
      ["job.queued", "job.processing", "job.progress"].forEach(function (name) {
        source.addEventListener(name, function (event) { showJob(JSON.parse(event.data)); });
      });
      ["job.succeeded", "job.failed", "job.canceled"].forEach(function (name) { source.addEventListener(name, finish); });
      source.onerror = function () {
        source.close();
        A.api("GET", "/v1/generations/" + job.id).then(resolve, function (e) { A.flash(e.message, true); resolve(job); });
      };
    });
  }

  async function run(body) {
    var button = document.getElementById("generate");
    button.disabled = true;
    document.getElementById("progress-box").hidden = false;
    try {
      last = body;
      var job = await A.api("POST", "/v1/generations", body);
      showJob(job);
      showResult(await follow(job));
    } catch (e) {
      A.flash(e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var body = await A.guard(bodyFromForm);
    if (!body) return;
    if (!body.prompt) { A.flash("Write a prompt first", true); document.getElementById("prompt").focus(); return; }
    run(body);
  });
  document.getElementById("vary").addEventListener("click", function () {
    if (!last) return;
    var body = Object.assign({}, last, { seed: Math.floor(Math.random() * 4294967295) });
    run(body);
  });
  document.getElementById("redraw").addEventListener("click", function () {
    if (!last) return;
    run(Object.assign({}, last, { size: document.getElementById("redraw-size").value }));
  });
})();
