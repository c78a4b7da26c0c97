/* Shared page behaviour: JSON calls with CSRF, the offline banner, confirmations, small niceties. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var banner = document.getElementById("offline-banner");

  /* A barcode scanner types as soon as the page is there: focus its scan field now (this script ends
     the body) rather than when the browser applies `autofocus` in a later rendering pass, by which
     time a scanner's first characters may have gone to the page itself. */
  var scanField = document.querySelector("[autofocus]");
  if (scanField && document.activeElement !== scanField) { scanField.focus(); }

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

  var uiText = {};
  try { uiText = JSON.parse(document.getElementById("ui-text").textContent); } catch (e) { uiText = {}; }

  /* A large in-page dialog (gloves, touch): message, optional choices and free text, then buttons.
     Resolves with the chosen button's value, a choice, the typed text, or null when cancelled. */
  function dialog(opts) {
    return new Promise(function (resolve) {
      var dlg = document.createElement("dialog");
      dlg.className = "big-dialog";
      dlg.setAttribute("data-testid", opts.testid || "dialog");
      var done = false;
      function finish(value) {
        if (done) { return; }
        done = true;
        dlg.close();
        dlg.remove();
        resolve(value);
      }
      var message = document.createElement("p");
      message.className = "dialog-message";
      message.textContent = opts.message;
      dlg.appendChild(message);
      (opts.choices || []).forEach(function (choice) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn big choice"; b.textContent = choice;
        b.addEventListener("click", function () { finish(choice); });
        dlg.appendChild(b);
      });
      var field = null;
      if (opts.input) {
        field = document.createElement("input");
        field.type = "text"; field.className = "dialog-input"; field.maxLength = 2000;
        field.placeholder = opts.input; field.setAttribute("aria-label", opts.input);
        dlg.appendChild(field);
      }
      var row = document.createElement("div");
      row.className = "dialog-actions";
      (opts.buttons || []).forEach(function (spec) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn big" + (spec.primary ? " primary" : "") + (spec.danger ? " danger" : "");
        b.textContent = spec.label;
        if (spec.testid) { b.setAttribute("data-testid", spec.testid); }
        b.addEventListener("click", function () {
          if (spec.text) {
            if (!field.value.trim()) { field.focus(); return; }
            finish(field.value.trim());
          } else { finish(spec.value); }
        });
        row.appendChild(b);
      });
      dlg.appendChild(row);
      if (field) {
        field.addEventListener("keydown", function (e) {
          if (e.key === "Enter") { e.preventDefault(); if (field.value.trim()) { finish(field.value.trim()); } }
        });
      }
      dlg.addEventListener("cancel", function (e) { e.preventDefault(); finish(null); });
      document.body.appendChild(dlg);
      dlg.showModal();
      var primary = row.querySelector(".primary");
      if (opts.focusInput && field) { field.focus(); } else if (primary) { primary.focus(); }
    });
  }

  /* Yes/no in a large in-page dialog instead of window.confirm. */
  function confirmDialog(message, okLabel) {
    return dialog({ message: message, testid: "confirm-dialog", buttons: [
      { label: uiText.cancel || "Cancel", value: false, testid: "dialog-cancel" },
      { label: okLabel || uiText.ok || "OK", value: true, primary: true, testid: "dialog-ok" }] });
  }

  window.tmf = { call: call, setOffline: setOffline, dialog: dialog, confirm: confirmDialog, text: uiText };

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
    /* Forms that may also create a new plan version ask both questions in maker.js. */
    if (!message || form.getAttribute("data-confirmed") === "1" || form.getAttribute("data-version-confirm")) { return; }
    event.preventDefault();
    confirmDialog(message, form.getAttribute("data-confirm-ok")).then(function (ok) {
      if (ok) { form.setAttribute("data-confirmed", "1"); form.submit(); }
    });
  });
})();
