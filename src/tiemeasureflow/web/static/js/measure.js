/* Operator screens: scanner-friendly start form, and the measuring screen (caliper value + Enter). */
(function () {
  "use strict";

  /* Start form: a scanner types the serial and Enter; go on to the lot when it is still empty. */
  var serial = document.getElementById("serial_number");
  if (serial) {
    serial.addEventListener("keydown", function (e) {
      var lot = document.getElementById("lot_number");
      if (e.key === "Enter" && serial.value.trim() && lot && !lot.value.trim()) { e.preventDefault(); lot.focus(); }
    });
  }

  /* Aborting an open part: typing a reason picks "other reason". */
  var otherReason = document.getElementById("reason_other");
  if (otherReason) {
    otherReason.addEventListener("input", function () { document.getElementById("reason-other-pick").checked = true; });
  }

  /* The judging rule, reachable on the page so it can be checked against the server's table of cases. */
  if (window.tmf) { window.tmf.judge = judge; }

  var dataEl = document.getElementById("run-data");
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var rows = data.sheet;
  var text = data.text;
  var queueKey = "tmf-pending-" + data.run_id;
  var input = document.getElementById("value");
  var form = document.getElementById("value-form");
  var verdict = document.getElementById("verdict");
  var finishForm = document.getElementById("finish-form");
  var finishBtn = document.getElementById("finish-btn");
  var current = 0;
  var keyTimes = [];
  var flushing = false;
  var retryTimer = null;
  var verdictFor = null;
  var finishRequested = false;
  var hold = null;  /* index of the characteristic whose fail (or warning) waits for Enter or a new value */
  var busy = false; /* a dialog about the typed value is open */
  if (!input || !rows.length) { return; }

  function fmt(v) {
    if (v === null || v === undefined) { return "–"; }
    return String(parseFloat(Number(v).toPrecision(12))).replace(".", data.decimal);
  }
  function signed(v) { return (v > 0 ? "+" : "") + fmt(v); }

  /* The same rule as the server: inclusive bands, a missing warning limit falls back to the tolerance one. */
  function judge(v, r) {
    var lw = r.lwl !== null ? r.lwl : r.ltl, uw = r.uwl !== null ? r.uwl : r.utl;
    if ((lw === null || v >= lw) && (uw === null || v <= uw)) { return "pass"; }
    if ((r.ltl === null || v >= r.ltl) && (r.utl === null || v <= r.utl)) { return "warning"; }
    return "fail";
  }

  /* Far outside the tolerance: more than factor x tolerance width beyond a tolerance limit.
     One-sided tolerances measure the width from the nominal (or zero) to their one limit. */
  function grossError(v, r) {
    var factor = r.gross_error_factor !== null && r.gross_error_factor !== undefined ? r.gross_error_factor : 2;
    var width = null;
    if (r.ltl !== null && r.utl !== null) { width = r.utl - r.ltl; }
    else if (r.ltl !== null || r.utl !== null) {
      var limit = r.ltl !== null ? r.ltl : r.utl;
      width = Math.abs(limit - (r.nominal !== null ? r.nominal : 0));
    }
    if (!width) { return false; }
    return (r.utl !== null && v > r.utl + factor * width) || (r.ltl !== null && v < r.ltl - factor * width);
  }

  /* The tolerance as a drawing writes it: 8 ±0.036, 8 +0.02/-0.05, max 0.05, min 3. */
  function tolerance(r) {
    var n = r.nominal, unit = r.unit ? " " + r.unit : "";
    if (r.ltl !== null && r.utl !== null) {
      if (n === null) { return fmt(r.ltl) + " … " + fmt(r.utl) + unit; }
      var up = r.utl - n, down = n - r.ltl;
      if (Math.abs(up - down) < 1e-12) { return fmt(n) + " ±" + fmt(up) + unit; }
      return fmt(n) + " " + signed(up) + "/" + signed(-down) + unit;
    }
    if (r.utl !== null) { return text.max + " " + fmt(r.utl) + unit; }
    if (r.ltl !== null) { return text.min + " " + fmt(r.ltl) + unit; }
    return fmt(n) + unit;
  }

  function parseValue(raw) {
    var cleaned = raw.trim().replace(/\s/g, "").replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) { return null; }
    return parseFloat(cleaned);
  }

  /* One key per value: the API stores a value resent after a lost answer only once. */
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "v-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(q) {
    if (q.length) { localStorage.setItem(queueKey, JSON.stringify(q)); } else { localStorage.removeItem(queueKey); }
  }

  function rowIndex(subtaskId) {
    for (var i = 0; i < rows.length; i++) { if (rows[i].subtask_id === subtaskId) { return i; } }
    return -1;
  }

  function nameOf(r) { return r.description || r.task_title; }

  function showVerdict(r, note) {
    verdictFor = r.subtask_id;
    verdict.className = "verdict " + (r.pass_fail || "pending");
    verdict.textContent = "";
    var title = document.createElement("div");
    title.className = "verdict-for";
    title.setAttribute("data-testid", "verdict-for");
    title.textContent = text.balloon.replace("{n}", r.marker) + " · " + nameOf(r);
    verdict.appendChild(title);
    if (r.value === null) {
      var prompt = document.createElement("div");
      prompt.textContent = note || text.prompt;
      verdict.appendChild(prompt);
      return;
    }
    var main = document.createElement("div");
    main.textContent = fmt(r.value) + " " + r.unit + " · " + text[r.pass_fail];
    verdict.appendChild(main);
    if (r.deviation !== null && r.deviation !== undefined) {
      var dev = document.createElement("div");
      dev.className = "dev";
      dev.textContent = text.deviation + " " + signed(r.deviation) + " " + r.unit;
      verdict.appendChild(dev);
    }
    if (note) {
      var extra = document.createElement("div");
      extra.className = "dev";
      extra.textContent = note;
      verdict.appendChild(extra);
    }
    if (hold !== null && rows[hold] === r) {
      var ask = document.createElement("div");
      ask.className = "dev hold-prompt";
      ask.setAttribute("data-testid", "hold-prompt");
      ask.textContent = text.hold;
      verdict.appendChild(ask);
    }
  }

  function paintRow(i) {
    var r = rows[i];
    var li = document.querySelector('#char-list li[data-subtask-id="' + r.subtask_id + '"]');
    if (li) {
      var cell = li.querySelector('[data-cell="value"]');
      cell.textContent = "";
      if (r.value === null) {
        var dash = document.createElement("span"); dash.className = "muted"; dash.textContent = "–"; cell.appendChild(dash);
      } else {
        cell.appendChild(document.createTextNode(fmt(r.value) + " " + r.unit + " "));
        var tag = document.createElement("span"); tag.className = "tag " + r.pass_fail; tag.textContent = text[r.pass_fail];
        cell.appendChild(tag);
      }
    }
    var balloon = document.querySelector('.balloon[data-subtask-id="' + r.subtask_id + '"]');
    if (balloon) {
      balloon.classList.remove("pass", "warning", "fail");
      if (r.pass_fail) { balloon.classList.add(r.pass_fail); }
    }
  }

  function paintProgress() {
    var done = rows.filter(function (r) { return r.value !== null; }).length;
    document.getElementById("progress-text").textContent =
      text.progress.replace("{done}", done).replace("{total}", rows.length);
    document.getElementById("progress-bar").style.width = Math.round(100 * done / rows.length) + "%";
    document.getElementById("allow_incomplete").value = done === rows.length ? "0" : "1";
    return done === rows.length;
  }

  function showTask(index) {
    document.querySelectorAll(".task-view").forEach(function (view) {
      view.hidden = Number(view.getAttribute("data-task-index")) !== index;
    });
  }

  function select(i, keepVerdict) {
    current = i;
    var r = rows[i];
    document.getElementById("cur-marker").textContent = r.marker;
    document.getElementById("cur-desc").textContent = r.description || r.task_title;
    document.getElementById("cur-unit").textContent = r.unit;
    document.getElementById("cur-type").textContent = r.type_label;
    ["ltl", "lwl", "nominal", "uwl", "utl"].forEach(function (name) {
      document.querySelector('[data-limit="' + name + '"]').textContent = fmt(r[name]);
    });
    document.getElementById("subtask_id").value = r.subtask_id;
    document.querySelectorAll("#char-list li").forEach(function (li) {
      li.classList.toggle("current", Number(li.getAttribute("data-subtask-id")) === r.subtask_id);
    });
    document.querySelectorAll(".balloon").forEach(function (b) {
      b.classList.toggle("current", Number(b.getAttribute("data-subtask-id")) === r.subtask_id);
    });
    showTask(r.task_index);
    if (!keepVerdict) { showVerdict(r); }
    input.value = "";
    input.focus();
  }

  function nextOpen(from) {
    for (var k = 1; k <= rows.length; k++) {
      var i = (from + k) % rows.length;
      if (rows[i].value === null) { return i; }
    }
    return -1;
  }

  function applyLocal(i, value) {
    var r = rows[i];
    r.value = value;
    r.pass_fail = judge(value, r);
    r.deviation = r.nominal === null ? null : value - r.nominal;
    paintRow(i);
  }

  function flush() {
    if (flushing) { return; }
    var queue = loadQueue();
    if (!queue.length) {
      if (finishRequested) { finishRequested = false; finishForm.submit(); }
      return;
    }
    flushing = true;
    var item = queue[0];
    tmf.call(data.save_url, { method: "POST", json: item }).then(function (res) {
      flushing = false;
      if (res.offline) {
        var shown = rowIndex(verdictFor);
        if (shown >= 0 && loadQueue().some(function (q) { return q.subtask_id === verdictFor; })) {
          showVerdict(rows[shown], text.pending);
        }
        clearTimeout(retryTimer);
        retryTimer = setTimeout(flush, 3000);
        return;
      }
      var rest = loadQueue().slice(1);
      saveQueue(rest);
      var i = rowIndex(item.subtask_id);
      if (res.ok && i >= 0) {
        var m = res.data.measurement || {};
        if (rest.every(function (q) { return q.subtask_id !== item.subtask_id; })) {
          rows[i].value = m.value; rows[i].pass_fail = m.pass_fail; rows[i].deviation = m.deviation;
          paintRow(i);
          if (verdictFor === item.subtask_id) { showVerdict(rows[i]); }
        }
      } else if (i >= 0) {
        finishRequested = false;  /* the operator must see the refusal before the part is closed */
        rows[i].value = null; rows[i].pass_fail = null; rows[i].deviation = null;
        paintRow(i);
        select(i, true);
        verdict.className = "verdict fail";
        verdict.textContent = res.data.error || ("HTTP " + res.status);
      }
      paintProgress();
      flush();
    });
  }

  function caliperTyped() {
    /* A keyboard-wedge caliper types its characters a few milliseconds apart; a person cannot. */
    if (keyTimes.length < 2) { return false; }
    for (var k = 1; k < keyTimes.length; k++) { if (keyTimes[k] - keyTimes[k - 1] > 35) { return false; } }
    return true;
  }

  function isTextField(el) {
    if (!el || !el.tagName) { return false; }
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
    return el.tagName === "INPUT" &&
      ["button", "submit", "reset", "checkbox", "radio", "range", "image", "file", "color", "hidden"].indexOf(el.type) < 0;
  }

  /* A caliper (keyboard wedge) types into whatever has focus: a reading that starts while a button,
     tab or balloon has focus still goes to the current characteristic. Real text fields keep theirs. */
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || busy || document.querySelector("dialog[open]")) { return; }
    if (e.target === input || isTextField(e.target) || !/^[0-9+\-.,]$/.test(e.key)) { return; }
    e.preventDefault();
    keyTimes = [performance.now()];
    input.focus();
    input.value += e.key;
  }, true);

  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { return; }
    if (e.key.length === 1) { keyTimes.push(performance.now()); }
  });

  function holds(r) {
    return r.pass_fail === "fail" || (r.pass_fail === "warning" && data.hold_on_warning);
  }

  function goOn(i, fresh) {
    var next = nextOpen(i);
    if (next >= 0) {
      select(next, !fresh);
    } else {
      input.value = "";
      if (paintProgress()) { finishBtn.focus(); }
    }
  }

  function store(i, value, method, reason, grossConfirmed) {
    applyLocal(i, value);
    var item = { subtask_id: rows[i].subtask_id, value: value, input_method: method, key: newKey() };
    if (reason) { item.reason = reason; }
    if (grossConfirmed) { item.gross_error_confirmed = true; }
    var queue = loadQueue();
    queue.push(item);
    saveQueue(queue);
    hold = holds(rows[i]) ? i : null;
    showVerdict(rows[i], text.saving);
    paintProgress();
    flush();
    if (hold !== null) {
      select(i, true);  /* stay on the failed balloon until Enter confirms or a new value comes */
      var balloon = document.querySelector('.balloon[data-subtask-id="' + rows[i].subtask_id + '"]');
      if (balloon) { balloon.scrollIntoView({ block: "nearest", inline: "nearest" }); }
    } else {
      goOn(i);
    }
  }

  function askReason(r) {
    return tmf.dialog({
      message: text.reason_question.replace("{name}", text.balloon.replace("{n}", r.marker) + " · " + nameOf(r)),
      testid: "reason-dialog", choices: data.reasons, input: text.reason_other, focusInput: false,
      buttons: [{ label: text.cancel, value: null }, { label: text.ok, text: true, primary: true }],
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy) { return; }
    var method = caliperTyped() ? "usb_caliper" : "keyboard";
    keyTimes = [];
    if (hold !== null && !input.value.trim()) {
      var held = hold;
      hold = null;
      showVerdict(rows[held]);
      goOn(held, true);  /* the confirmed fail is done: the next balloon starts with its own prompt */
      return;
    }
    var value = parseValue(input.value);
    if (value === null) {
      verdict.className = "verdict fail";
      verdict.textContent = text.not_a_number;
      input.select();
      return;
    }
    var i = current, r = rows[i];
    var gross = grossError(value, r);
    busy = true;
    var checked = gross ? tmf.dialog({
      message: text.gross_question.replace("{value}", fmt(value)).replace("{name}", nameOf(r)).replace("{tol}", tolerance(r)),
      testid: "gross-dialog",
      buttons: [{ label: text.gross_no, value: false, testid: "gross-no" },
                { label: text.gross_yes, value: true, primary: true, testid: "gross-yes" }],
    }) : Promise.resolve(null);
    checked.then(function (confirmed) {
      if (confirmed === false) { return null; }
      if (r.value === null) { return { reason: null, gross: confirmed }; }
      return askReason(r).then(function (reason) { return reason === null ? null : { reason: reason, gross: confirmed }; });
    }).then(function (ok) {
      busy = false;
      if (ok === null) { input.focus(); input.select(); return; }
      store(i, value, method, ok.reason, ok.gross === true);
    });
  });

  function pick(subtaskId) {
    var i = rowIndex(subtaskId);
    if (i >= 0) { hold = null; select(i); }
  }
  document.querySelectorAll("#char-list li").forEach(function (li) {
    li.querySelector("button").addEventListener("click", function () { pick(Number(li.getAttribute("data-subtask-id"))); });
  });
  document.querySelectorAll(".balloon").forEach(function (b) {
    b.addEventListener("click", function () { pick(Number(b.getAttribute("data-subtask-id"))); });
  });
  document.querySelectorAll("[data-task-tab]").forEach(function (tab) {
    tab.addEventListener("click", function () { showTask(Number(tab.getAttribute("data-task-tab"))); });
  });

  var finishConfirmed = false;
  finishForm.addEventListener("submit", function (e) {
    if (!paintProgress() && !finishConfirmed) {
      e.preventDefault();
      tmf.confirm(finishBtn.getAttribute("data-incomplete-confirm"), text.finish_anyway).then(function (ok) {
        if (ok) { finishConfirmed = true; finishForm.requestSubmit(); }
      });
      return;
    }
    if (loadQueue().length) {
      /* Values still on their way: finish as soon as the last one is stored. */
      e.preventDefault();
      finishRequested = true;
      verdict.className = "verdict pending";
      verdict.textContent = text.saving;
      flush();
    }
  });

  /* Values typed while the server was away (or before a reload) are shown and sent again. */
  loadQueue().forEach(function (item) {
    var i = rowIndex(item.subtask_id);
    if (i >= 0) { applyLocal(i, item.value); }
  });
  paintProgress();
  var first = rows.findIndex(function (r) { return r.value === null; });
  select(first >= 0 ? first : 0);
  if (first < 0) { showVerdict(rows[0], text.all_done); finishBtn.focus(); }
  flush();
})();
