// Applies the saved theme before the page paints (light, dark, or the system's when unset).
(function () {
  var saved = null;
  try { saved = localStorage.getItem("atelier-theme"); } catch (e) { /* storage disabled */ }
  if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
})();
