/* Shared page behaviour: JSON calls with CSRF, the offline banner, confirmations, small niceties. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var banner = document.getElementById("offline-banner");

  function setOffline(on) {
    if (banner) { banner.classList.toggle("show", !!on); }
  }

  /* POST/GET to the client's own routes. Resolves {ok, status, data}; never throws on HTTP errors. */
  function call(url, options) {
    options = options || {};
    var headers = { "X-Requested-With": "fetch", "Accept": "application/json" };
    if (csrf) { headers["X-CSRFToken"] = csrf.content; }
    var init = { method: options.method || "GET", headers: headers, credentials: "same-origin" };
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    }
    return fetch(url, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.status === 401 && data.login) {
          window.location.href = data.login + "?next=" + encodeURIComponent(window.location.pathname);
        }
        var down = res.status === 503 && data.unavailable;
        setOffline(down);
        return { ok: res.ok, status: res.status, data: data, offline: down };
      });
    }, function () {
      setOffline(true);
      return { ok: false, status: 0, data: {}, offline: true };
    });
  }

  window.tmf = { call: call, setOffline: setOffline };

  document.addEventListener("error", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-hide-broken")) { el.style.display = "none"; }
  }, true);

  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-history-back]");
    if (back) { event.preventDefault(); window.history.back(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
