// Watches this station's alarms for the part's recipe: a critical one shows its reaction plan full
// screen (new parts stay stopped by the server), any other shows a banner and measuring goes on.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.dataset.holdUrl;
  var overlay = document.getElementById("reaction-overlay");
  var banner = document.getElementById("reaction-banner");
  var items = document.getElementById("reaction-items");
  var dismissed = {};
  var main = document.querySelector("main");
  if (banner && main) { main.insertBefore(banner, main.firstChild); }

  function line(alarm) {
    return script.dataset.alarmText + " #" + alarm.id + " · " + script.dataset.balloonText + " " +
      (alarm.marker || "?") + " " + (alarm.description || "") + " · " + alarm.message +
      (alarm.serial ? " · " + alarm.serial : "");
  }

  function show(data) {
    var critical = data.alarms.filter(function (a) { return a["class"] === "critical" && !dismissed[a.id]; });
    var others = data.alarms.filter(function (a) { return a["class"] !== "critical"; });
    if (critical.length) {
      items.textContent = "";
      critical.forEach(function (a) {
        var card = document.createElement("article");
        card.className = "card";
        var title = document.createElement("p");
        title.textContent = line(a);
        var plan = document.createElement("pre");
        plan.className = "reaction-plan";
        plan.setAttribute("data-testid", "reaction-plan");
        plan.textContent = a.reaction_plan || script.dataset.noPlan;
        card.appendChild(title);
        card.appendChild(plan);
        items.appendChild(card);
      });
      overlay.hidden = false;
    } else {
      overlay.hidden = true;
    }
    if (others.length) {
      banner.textContent = others.map(line).join(" — ");
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  function check() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () {})
      .then(function () { setTimeout(check, 2000); });
  }

  document.getElementById("reaction-continue").addEventListener("click", function () {
    items.querySelectorAll("article").forEach(function () {});
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { data.alarms.forEach(function (a) { dismissed[a.id] = true; }); overlay.hidden = true; });
  });
  check();
})();
