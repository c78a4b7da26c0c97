/* Metrologist screens: Plotly charts drawn from the data the page embeds; filters that apply at once. */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.name === "part_number") {
        var measurement = select.form.querySelector('[name="measurement"]');
        if (measurement) { measurement.value = ""; }
      }
      if (select.name === "recipe_id") {
        ["subtask_id", "version_id"].forEach(function (name) {
          var other = select.form.querySelector('[name="' + name + '"]');
          if (other) { other.value = ""; }
        });
      }
      select.form.submit();
    });
  });

  /* The rule table of the chosen set is the one submitted. */
  var ruleSet = document.getElementById("r-set");
  if (ruleSet) {
    ruleSet.addEventListener("change", function () {
      document.querySelectorAll("fieldset[data-rule-set]").forEach(function (fs) {
        var mine = fs.getAttribute("data-rule-set") === ruleSet.value;
        fs.hidden = !mine;
        fs.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          box.disabled = !mine;
          if (mine && box.name === "enabled") { box.checked = true; }
          if (mine && box.name === "secondary_rules") { box.checked = box.value === "1"; }
        });
      });
    });
  }

  if (typeof Plotly === "undefined") { return; }
  var dark = document.documentElement.getAttribute("data-theme") === "dark";
  var lang = document.documentElement.lang || "en";
  var ink = dark ? "#e6ebf0" : "#1b2430";
  var grid = dark ? "#34414f" : "#e1e6eb";
  var base = {
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: ink, size: 13 },
    margin: { l: 60, r: 90, t: 20, b: 45 }, showlegend: false, hovermode: "closest",
    xaxis: { gridcolor: grid, zeroline: false }, yaxis: { gridcolor: grid, zeroline: false }
  };
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  var COLORS = { line: dark ? "#5b9bf0" : "#1f5fbf", ooc: "#e53935", limit: "#e53935", center: "#2e7d32", spec: "#8e24aa", warn: "#f0a020" };

  function layout(extra) { return Object.assign({}, base, extra || {}); }

  /* A horizontal line across the plot with its label at the right edge. */
  function hline(y, color, label, dash) {
    if (y === null || y === undefined) { return null; }
    return {
      shape: { type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { color: color, width: 1.5, dash: dash || "solid" } },
      note: { xref: "paper", x: 1, xanchor: "left", y: y, text: label + " " + Number(y.toPrecision(6)), showarrow: false, font: { color: color, size: 11 } }
    };
  }
  function withLines(lay, lines) {
    lines = lines.filter(Boolean);
    lay.shapes = lines.map(function (l) { return l.shape; });
    lay.annotations = lines.map(function (l) { return l.note; });
    return lay;
  }
  function when(ts) { return ts ? new Date(ts).toLocaleString(lang) : ""; }

  function drawSpc(data) {
    var t = data.text, ctl = data.control, spec = data.spec;
    var hover = ctl.points.map(function (p) {
      if (p.members) {
        return t.members.replace("{n}", p.members.length) + "<br>" + t.mean + ": " + p.y + "<br>" + t.time + ": " + when(p.timestamp);
      }
      /* Short-run points plot a deviation or z: show the measured value and its nominal too. */
      var measured = p.nominal !== undefined ? "<br>" + t.value + ": " + p.value + " (" + t.nominal + " " + p.nominal + ")" : "";
      return (p.nominal !== undefined ? "y: " + Number(p.y.toPrecision(6)) + measured : t.value + ": " + p.y) + "<br>" + t.serial + ": " + (p.serial_number || "–") + "<br>" + t.operator + ": " +
        (p.operator || "–") + "<br>" + t.time + ": " + when(p.timestamp) + "<br>" + t.version + ": " + (p.version_number || "–") +
        (p.rules && p.rules.length ? "<br><b>" + t.ooc + " (" + p.rules.join(", ") + ")</b>" : "");
    });
    var ooc = ctl.points.filter(function (p) { return p.rules && p.rules.length; });
    var oot = ctl.points.filter(function (p) { return p.out_of_tolerance; });
    /* The time axis places points at their parts' times; the index axis keeps them evenly spaced. */
    var xOf = data.axis === "time" ? function (p) { return p.timestamp; } : function (p) { return p.x; };
    var secondaryTime = {};
    ctl.points.forEach(function (p) { secondaryTime[p.x] = p.timestamp; });
    var secX = data.axis === "time" ? function (p) { return secondaryTime[p.x]; } : function (p) { return p.x; };
    var traces = [
      { x: ctl.points.map(xOf), y: ctl.points.map(function (p) { return p.y; }), text: hover,
        hoverinfo: "text", mode: "lines+markers", name: t.value, line: { color: COLORS.line, width: 1.5 }, marker: { size: 7 } },
      { x: ooc.map(xOf), y: ooc.map(function (p) { return p.y; }), mode: "markers", name: t.ooc,
        hoverinfo: "skip", marker: { color: COLORS.ooc, size: 13, symbol: "circle-open", line: { width: 3 } } },
      { x: oot.map(xOf), y: oot.map(function (p) { return p.y; }), mode: "markers", name: t.oot,
        hoverinfo: "skip", marker: { color: COLORS.spec, size: 12, symbol: "diamond", line: { width: 1, color: ink } } }
    ];
    var lines = [hline(ctl.center_line, COLORS.center, "CL"), hline(ctl.ucl, COLORS.limit, "UCL", "dash"),
      hline(ctl.lcl, COLORS.limit, "LCL", "dash")];
    if (ctl.chart === "imr") {
      lines.push(hline(spec.usl, COLORS.spec, "USL", "dot"), hline(spec.lsl, COLORS.spec, "LSL", "dot"));
    }
    Plotly.newPlot("chart-control", traces, withLines(layout(), lines), config);

    var sec = ctl.secondary;
    var secOoc = sec.points.filter(function (p) { return sec.out_of_control_indices.indexOf(p.x) >= 0; });
    Plotly.newPlot("chart-secondary", [
      { x: sec.points.map(secX), y: sec.points.map(function (p) { return p.y; }), mode: "lines+markers",
        name: sec.name.toUpperCase(), line: { color: COLORS.line, width: 1.2 }, marker: { size: 5 } },
      { x: secOoc.map(secX), y: secOoc.map(function (p) { return p.y; }), mode: "markers",
        marker: { color: COLORS.ooc, size: 11, symbol: "circle-open", line: { width: 3 } }, hoverinfo: "skip" }
    ], withLines(layout({ yaxis: { gridcolor: grid, title: { text: sec.name.toUpperCase() } } }),
      [hline(sec.center_line, COLORS.center, "CL"), hline(sec.ucl, COLORS.limit, "UCL", "dash"), hline(sec.lcl, COLORS.limit, "LCL", "dash")]), config);

    var h = data.histogram;
    var hist = [{ type: "bar", x: h.bin_centers, y: h.frequencies, width: h.bin_width, name: t.count,
      marker: { color: dark ? "#3d6fb0" : "#9cc0ee", line: { color: COLORS.line, width: 1 } } }];
    if (h.normal_curve) {
      hist.push({ x: h.normal_curve.x, y: h.normal_curve.y, mode: "lines", name: t.normal, line: { color: COLORS.center, width: 2 } });
    }
    if (h.fitted_curve) {
      hist.push({ x: h.fitted_curve.x, y: h.fitted_curve.y, mode: "lines", name: h.fitted_curve.name, line: { color: COLORS.ooc, width: 2.5 } });
    }
    var vlines = [["LSL", spec.lsl, COLORS.spec], ["USL", spec.usl, COLORS.spec], ["Nom", spec.nominal, COLORS.center]]
      .filter(function (v) { return v[1] !== null && v[1] !== undefined; });
    var hl = layout({ bargap: 0.02 });
    hl.shapes = vlines.map(function (v) {
      return { type: "line", yref: "paper", y0: 0, y1: 1, x0: v[1], x1: v[1], line: { color: v[2], width: 2, dash: "dot" } };
    });
    hl.annotations = vlines.map(function (v) {
      return { yref: "paper", y: 1, yanchor: "bottom", x: v[1], text: v[0], showarrow: false, font: { color: v[2] } };
    });
    Plotly.newPlot("chart-histogram", hist, hl, config);
  }

  function drawProduction(data) {
    var groups = data.yields.groups;
    if (groups.length && document.getElementById("chart-yield")) {
      var labels = groups.map(function (g) { return g.label || g.key; });
      Plotly.newPlot("chart-yield", [
        { type: "bar", x: labels, y: groups.map(function (g) { return g.first_pass_yield; }), name: data.text.fpy, marker: { color: COLORS.line } },
        { type: "bar", x: labels, y: groups.map(function (g) { return g.final_yield; }), name: data.text.final, marker: { color: COLORS.center } }
      ], layout({ barmode: "group", bargap: groups.length < 4 ? 0.6 : 0.2, showlegend: true,
        yaxis: { gridcolor: grid, range: [0, 105], dtick: 20, ticksuffix: "%" }, xaxis: { type: "category" } }), config);
    }
    var items = data.pareto.items;
    if (items.length && document.getElementById("chart-pareto")) {
      var names = items.map(function (i) { return i.recipe_code + " #" + (i.label || i.marker_number); });
      /* Two characteristics never share a bar: a repeated name gets its characteristic's own text. */
      names = names.map(function (n, k) {
        return names.indexOf(n) === names.lastIndexOf(n) ? n : n + " " + (items[k].description || ("id " + items[k].characteristic_id));
      });
      Plotly.newPlot("chart-pareto", [
        { type: "bar", x: names, y: items.map(function (i) { return i.fail_count; }), name: data.text.fail, marker: { color: COLORS.ooc } },
        { type: "bar", x: names, y: items.map(function (i) { return i.warning_count; }), name: data.text.warning, marker: { color: COLORS.warn } },
        { x: names, y: items.map(function (i) { return i.cumulative_percentage; }), yaxis: "y2", mode: "lines+markers",
          name: data.text.cumulative, line: { color: ink } }
      ], layout({ barmode: "stack", showlegend: true, xaxis: { type: "category" },
        bargap: items.length < 4 ? 0.5 : 0.2,
        yaxis2: { overlaying: "y", side: "right", range: [0, 105], dtick: 25, ticksuffix: "%", showgrid: false } }), config);
    }
  }

  /* Box plots from the server's quartiles and Tukey whiskers, with the specification limits. */
  function drawCompare(data) {
    var c = data.comparison, spec = c.spec;
    ["shift", "operator", "station"].forEach(function (grouping) {
      var groups = c[grouping];
      if (!groups.length || !document.getElementById("chart-by-" + grouping)) { return; }
      var labels = groups.map(function (g) { return g.label + " (n=" + g.n + ")"; });
      var trace = { type: "box", x: labels, q1: groups.map(function (g) { return g.q1; }),
        median: groups.map(function (g) { return g.median; }), q3: groups.map(function (g) { return g.q3; }),
        lowerfence: groups.map(function (g) { return g.lower_whisker; }),
        upperfence: groups.map(function (g) { return g.upper_whisker; }),
        mean: groups.map(function (g) { return g.mean; }), boxmean: true,
        marker: { color: COLORS.line }, line: { color: COLORS.line } };
      var lines = [hline(spec.usl, COLORS.spec, "USL", "dot"), hline(spec.lsl, COLORS.spec, "LSL", "dot"),
        hline(spec.nominal, COLORS.center, "Nom", "dot")];
      Plotly.newPlot("chart-by-" + grouping, [trace],
        withLines(layout({ xaxis: { type: "category", gridcolor: grid } }), lines), config);
    });
  }

  var compareEl = document.getElementById("compare-data");
  if (compareEl) { drawCompare(JSON.parse(compareEl.textContent)); }
  var spcEl = document.getElementById("spc-data");
  if (spcEl) { drawSpc(JSON.parse(spcEl.textContent)); }
  var prodEl = document.getElementById("production-data");
  if (prodEl) { drawProduction(JSON.parse(prodEl.textContent)); }
})();
