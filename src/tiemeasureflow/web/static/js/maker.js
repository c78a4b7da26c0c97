/* Maker screens: new-version confirmation, task reordering, balloon placement, inline limit checks. */
(function () {
  "use strict";

  /* An in-page dialog (large buttons, works with gloves): resolves true when the maker confirms. */
  function ask(message, okText, cancelText) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("dialog");
      dialog.className = "version-dialog";
      dialog.setAttribute("data-testid", "version-dialog");
      var text = document.createElement("p");
      text.textContent = message;
      var actions = document.createElement("div");
      actions.className = "actions";
      var ok = document.createElement("button");
      ok.type = "button"; ok.className = "btn primary big"; ok.textContent = okText;
      ok.setAttribute("data-dialog", "ok");
      var cancel = document.createElement("button");
      cancel.type = "button"; cancel.className = "btn big"; cancel.textContent = cancelText;
      cancel.setAttribute("data-dialog", "cancel");
      actions.appendChild(ok); actions.appendChild(cancel);
      dialog.appendChild(text); dialog.appendChild(actions);
      document.body.appendChild(dialog);
      var done = function (answer) { dialog.close(); dialog.remove(); resolve(answer); };
      ok.addEventListener("click", function () { done(true); });
      cancel.addEventListener("click", function () { done(false); });
      dialog.addEventListener("cancel", function (e) { e.preventDefault(); done(false); });
      dialog.showModal();
      ok.focus();
    });
  }
  var pageText = (function () {
    var el = document.getElementById("maker-text");
    return el ? JSON.parse(el.textContent) : { confirm: "OK", cancel: "Cancel" };
  })();

  /* An edit of a measured version creates a new one: say so before sending. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-version-confirm");
    var first = form.getAttribute("data-confirm");
    if (!form.hasAttribute("data-version-confirm") || (!message && !first) || event.defaultPrevented || form.querySelector('input[name="confirm_new_version"]')) { return; }
    event.preventDefault();
    (first ? tmf.confirm(first) : Promise.resolve(true)).then(function (ok) {
      return ok && (message ? ask(message, pageText.confirm, pageText.cancel) : true);
    }).then(function (yes) {
      if (!yes) { return; }
      if (message) {
        var flag = document.createElement("input");
        flag.type = "hidden"; flag.name = "confirm_new_version"; flag.value = "1";
        form.appendChild(flag);
      }
      form.submit();
    });
  });

  /* Task order: drag with a mouse, or the arrow buttons with a finger or the keyboard. */
  var list = document.getElementById("task-list");
  if (list) {
    var saveOrder = document.getElementById("save-order");
    var dragged = null;
    var changed = function () { saveOrder.disabled = false; saveOrder.classList.add("primary"); };
    list.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("li");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.getAttribute("data-task-id"));
    });
    list.addEventListener("dragover", function (e) {
      var over = e.target.closest("li");
      if (!dragged || !over || over === dragged) { return; }
      e.preventDefault();
      list.querySelectorAll(".drag-over").forEach(function (li) { li.classList.remove("drag-over"); });
      over.classList.add("drag-over");
    });
    list.addEventListener("drop", function (e) {
      var over = e.target.closest("li");
      e.preventDefault();
      if (!dragged || !over || over === dragged) { return; }
      var items = Array.prototype.slice.call(list.children);
      list.insertBefore(dragged, items.indexOf(dragged) < items.indexOf(over) ? over.nextSibling : over);
      over.classList.remove("drag-over");
      changed();
    });
    list.addEventListener("dragend", function () { dragged = null; });
    list.addEventListener("click", function (e) {
      var button = e.target.closest("[data-move]");
      if (!button) { return; }
      var li = button.closest("li");
      if (button.getAttribute("data-move") === "up" && li.previousElementSibling) {
        list.insertBefore(li, li.previousElementSibling); changed();
      } else if (button.getAttribute("data-move") === "down" && li.nextElementSibling) {
        list.insertBefore(li.nextElementSibling, li); changed();
      }
      button.focus();
    });
  }

  var dataEl = document.getElementById("task-data");
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);

  /* Inline limit validation: numbers, in order LTL <= LWL <= nominal <= UWL <= UTL (blanks skipped). */
  var ORDER = ["ltl", "lwl", "nominal", "uwl", "utl"];
  function checkRow(formId) {
    var inputs = {};
    ORDER.forEach(function (name) {
      inputs[name] = document.querySelector('[form="' + formId + '"][name="' + name + '"]');
    });
    var message = "";
    var present = [];
    ORDER.forEach(function (name) {
      var input = inputs[name];
      input.setCustomValidity("");
      input.classList.remove("invalid");
      var raw = input.value.trim().replace(",", ".");
      if (raw === "") { return; }
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw)) {
        message = message || data.text.nan.replace("{field}", name.toUpperCase());
        input.setCustomValidity(message); input.classList.add("invalid");
        return;
      }
      present.push({ name: name, value: parseFloat(raw), input: input });
    });
    for (var i = 1; i < present.length && !message; i++) {
      if (present[i - 1].value > present[i].value) {
        message = data.text.order.replace("{low}", present[i - 1].name.toUpperCase()).replace("{high}", present[i].name.toUpperCase());
        present[i].input.setCustomValidity(message);
        present[i - 1].input.classList.add("invalid"); present[i].input.classList.add("invalid");
      }
    }
    document.querySelector('[data-error-for="' + formId + '"]').textContent = message;
  }
  document.querySelectorAll("tr.limits-row").forEach(function (row) {
    var formId = row.getAttribute("data-form");
    row.addEventListener("input", function (e) {
      if (e.target.hasAttribute("data-limit")) { checkRow(formId); }
    });
    var typeSelect = row.querySelector("[data-type-select]");
    var unitSelect = row.querySelector("[data-unit-select]");
    typeSelect.addEventListener("change", function () {
      var units = data.units[typeSelect.value] || [];
      var keep = unitSelect.value;
      unitSelect.textContent = "";
      units.forEach(function (u) {
        var opt = document.createElement("option");
        opt.value = u; opt.textContent = u; opt.selected = u === keep;
        unitSelect.appendChild(opt);
      });
    });
  });

  /* Balloons: pick a number, click on the drawing; drag to move; save as the task's annotations. */
  var editor = document.getElementById("balloon-editor");
  if (!editor) { return; }
  var image = editor.querySelector("img");
  var saveButton = document.getElementById("save-balloons");
  var status = document.getElementById("balloon-status");
  var positions = {};
  data.balloons.forEach(function (b) { positions[b.marker_number] = { x: b.x, y: b.y, page: b.page || 1 }; });
  var selected = null;
  var page = 1;  /* the PDF page shown; an image drawing is page 1 */
  var tabs = document.getElementById("page-tabs");
  if (tabs) {
    tabs.addEventListener("click", function (e) {
      var tab = e.target.closest("[data-page]");
      if (!tab) { return; }
      page = Number(tab.getAttribute("data-page"));
      image.src = data.pages[page - 1];
      tabs.querySelectorAll("[data-page]").forEach(function (t) { t.classList.toggle("primary", t === tab); });
      render();
    });
  }

  function clamp(v) { return Math.min(1, Math.max(0, v)); }
  function relative(e) {
    var box = image.getBoundingClientRect();
    return { x: clamp((e.clientX - box.left) / box.width), y: clamp((e.clientY - box.top) / box.height) };
  }
  function dirty() { saveButton.disabled = false; status.textContent = data.text.unsaved; }

  function render() {
    editor.querySelectorAll(".balloon").forEach(function (b) { b.remove(); });
    Object.keys(positions).forEach(function (marker) {
      var p = positions[marker];
      if (p.page !== page) { return; }
      var b = document.createElement("button");
      b.type = "button"; b.className = "balloon" + (String(selected) === marker ? " current" : "");
      b.textContent = (data.labels && data.labels[marker]) || marker; b.setAttribute("data-balloon", marker);
      b.style.left = (p.x * 100) + "%"; b.style.top = (p.y * 100) + "%";
      editor.appendChild(b);
    });
    document.querySelectorAll("#balloon-palette [data-marker]").forEach(function (button) {
      var marker = button.getAttribute("data-marker");
      button.classList.toggle("primary", String(selected) === marker);
      button.classList.toggle("selected-marker", !!positions[marker]);
    });
  }

  function firstUnplaced() {
    for (var i = 0; i < data.markers.length; i++) { if (!positions[data.markers[i]]) { return data.markers[i]; } }
    return null;
  }

  document.getElementById("balloon-palette").addEventListener("click", function (e) {
    var button = e.target.closest("[data-marker]");
    if (!button) { return; }
    selected = Number(button.getAttribute("data-marker"));
    render();
  });

  var drag = null;
  editor.addEventListener("pointerdown", function (e) {
    var balloon = e.target.closest("[data-balloon]");
    if (balloon) {
      selected = Number(balloon.getAttribute("data-balloon"));
      drag = { marker: selected, moved: false };
      editor.setPointerCapture(e.pointerId);
      e.preventDefault();
      render();
    }
  });
  editor.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    positions[drag.marker] = relative(e);
    positions[drag.marker].page = page;
    drag.moved = true;
    var el = editor.querySelector('[data-balloon="' + drag.marker + '"]');
    el.style.left = (positions[drag.marker].x * 100) + "%"; el.style.top = (positions[drag.marker].y * 100) + "%";
  });
  editor.addEventListener("pointerup", function (e) {
    if (drag) {
      if (drag.moved) { dirty(); }
      drag = null;
      return;
    }
    var marker = selected !== null ? selected : firstUnplaced();
    if (marker === null) { return; }
    positions[marker] = relative(e);
    positions[marker].page = page;
    selected = firstUnplaced();
    dirty();
    render();
  });

  saveButton.addEventListener("click", function () {
    var body = { annotations: Object.keys(positions).map(function (m) {
      return { marker_number: Number(m), x: positions[m].x, y: positions[m].y, page: positions[m].page };
    }) };
    var asked = data.frozen_message ? ask(data.frozen_message, pageText.confirm, pageText.cancel) : Promise.resolve(true);
    asked.then(function (yes) {
      if (!yes) { return; }
      if (data.frozen_message) { body.confirm_new_version = true; }
      send(body);
    });
  });

  function send(body) {
    saveButton.disabled = true;
    tmf.call(data.save_url, { method: "POST", json: body }).then(function (res) {
      if (res.ok) {
        status.textContent = data.text.saved;
        if (res.data.moved) { window.location.href = res.data.url; }
      } else {
        saveButton.disabled = false;
        status.textContent = res.data.error || ("HTTP " + res.status);
      }
    });
  }

  selected = firstUnplaced();
  render();
})();
