/* Admin › Stations: the two-column recipe-assignment dialog (available | assigned). */
(function () {
  "use strict";
  var dataEl = document.getElementById("assign-data");
  var dialog = document.getElementById("assign-dialog");
  if (!dataEl || !dialog || typeof dialog.showModal !== "function") { return; }
  var data = JSON.parse(dataEl.textContent);
  var form = document.getElementById("assign-form");
  var available = document.getElementById("available");
  var assigned = document.getElementById("assigned");
  var filter = document.getElementById("assign-filter");
  var hidden = document.getElementById("assign-hidden");

  function option(recipe) {
    var opt = document.createElement("option");
    opt.value = recipe.id;
    opt.textContent = recipe.code + " · " + recipe.name + (recipe.active === false ? " (" + data.inactive + ")" : "");
    opt.setAttribute("data-search", (recipe.code + " " + recipe.name).toLowerCase());
    return opt;
  }

  function sortList(select) {
    var items = Array.prototype.slice.call(select.options);
    items.sort(function (a, b) { return a.textContent.localeCompare(b.textContent); });
    items.forEach(function (o) { select.appendChild(o); });
  }

  function move(from, to) {
    Array.prototype.slice.call(from.selectedOptions).forEach(function (o) { o.selected = false; to.appendChild(o); });
    sortList(to);
    applyFilter();
  }

  function applyFilter() {
    var needle = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(available.options, function (o) {
      o.hidden = needle !== "" && o.getAttribute("data-search").indexOf(needle) < 0;
    });
  }

  function open(stationId) {
    var station = data.stations.find(function (s) { return s.id === stationId; });
    var mine = data.assigned[String(stationId)] || [];
    var mineIds = mine.map(function (r) { return r.id; });
    available.textContent = ""; assigned.textContent = ""; filter.value = "";
    data.recipes.forEach(function (r) { if (mineIds.indexOf(r.id) < 0) { available.appendChild(option(r)); } });
    mine.forEach(function (r) { assigned.appendChild(option(r)); });
    sortList(available); sortList(assigned);
    dialog.querySelector("[data-station-label]").textContent = station.code + " · " + station.name;
    form.action = data.action.replace(/\/0\/recipes$/, "/" + stationId + "/recipes");
    dialog.showModal();
    filter.focus();
  }

  document.querySelectorAll("[data-assign-station]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      e.preventDefault();
      open(Number(link.getAttribute("data-assign-station")));
    });
  });
  document.getElementById("assign-add").addEventListener("click", function () { move(available, assigned); });
  document.getElementById("assign-remove").addEventListener("click", function () { move(assigned, available); });
  available.addEventListener("dblclick", function () { move(available, assigned); });
  assigned.addEventListener("dblclick", function () { move(assigned, available); });
  filter.addEventListener("input", applyFilter);
  document.getElementById("assign-cancel").addEventListener("click", function () { dialog.close(); });
  form.addEventListener("submit", function () {
    hidden.textContent = "";
    Array.prototype.forEach.call(assigned.options, function (o) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "recipe_ids"; input.value = o.value;
      hidden.appendChild(input);
    });
  });
})();
