/* EWMA/CUSUM and attribute charts, and the limits of each subgroup of unequal size, drawn with Plotly. */
(function () {
  "use strict";
  var el = document.getElementById("spc-drift-data");
  if (!el || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(el.textContent), t = data.text;
  var dark = document.documentElement.getAttribute("data-theme") === "dark";
  var ink = dark ? "#e6ebf0" : "#1b2430", grid = dark ? "#34414f" : "#e1e6eb";
  var C = { line: dark ? "#5b9bf0" : "#1f5fbf", second: "#8e24aa", limit: "#e53935", center: "#2e7d32" };
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  function layout(extra) {
    return Object.assign({ paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: ink, size: 13 },
      margin: { l: 60, r: 30, t: 20, b: 45 }, showlegend: true, legend: { orientation: "h" }, hovermode: "closest",
      xaxis: { gridcolor: grid, zeroline: false }, yaxis: { gridcolor: grid, zeroline: false } }, extra || {});
  }
  /* Limits that change from point to point: a stepped line. */
  function limit(x, y, name, dash) {
    return { x: x, y: y, mode: "lines", name: name, line: { color: C.limit, width: 1.2, dash: dash || "dash", shape: "hvh" }, hoverinfo: "y" };
  }
  function signals(points, x, y) {
    var hit = points.filter(function (p) { return p.signal; });
    return { x: hit.map(x), y: hit.map(y), mode: "markers", name: t.signal, hoverinfo: "skip",
      marker: { color: C.limit, size: 13, symbol: "circle-open", line: { width: 3 } } };
  }
  var x = function (p) { return p.x; };

  var d = data.drift;
  if (d && document.getElementById("chart-drift")) {
    var traces, center = d.chart === "ewma" ? d.center_line : 0;
    if (d.chart === "ewma") {
      traces = [{ x: d.points.map(x), y: d.points.map(function (p) { return p.value; }), mode: "markers", name: t.value,
                  marker: { color: grid, size: 5 } },
                { x: d.points.map(x), y: d.points.map(function (p) { return p.y; }), mode: "lines+markers", name: t.ewma,
                  line: { color: C.line, width: 1.5 }, marker: { size: 6 } },
                signals(d.points, x, function (p) { return p.y; })];
    } else {
      traces = [{ x: d.points.map(x), y: d.points.map(function (p) { return p.y; }), mode: "lines+markers", name: t.upper,
                  line: { color: C.line, width: 1.5 }, marker: { size: 6 } },
                { x: d.points.map(x), y: d.points.map(function (p) { return -p.lower_sum; }), mode: "lines+markers", name: t.lower,
                  line: { color: C.second, width: 1.5 }, marker: { size: 6 } },
                signals(d.points.filter(function (p) { return p.y > p.ucl; }), x, function (p) { return p.y; }),
                signals(d.points.filter(function (p) { return p.lower_sum > p.ucl; }), x, function (p) { return -p.lower_sum; })];
    }
    traces.push(limit(d.points.map(x), d.points.map(function (p) { return p.ucl; }), "UCL"),
                limit(d.points.map(x), d.points.map(function (p) { return p.lcl; }), "LCL"),
                { x: d.points.map(x), y: d.points.map(function () { return center; }), mode: "lines", name: "CL",
                  line: { color: C.center, width: 1.2 }, hoverinfo: "skip" });
    Plotly.newPlot("chart-drift", traces, layout(), config);
  }

  var a = data.attribute;
  if (a && document.getElementById("chart-attribute")) {
    var keys = a.points.map(function (p) { return p.key; });
    var key = function (p) { return p.key; };
    Plotly.newPlot("chart-attribute", [
      { x: keys, y: a.points.map(function (p) { return p.value; }), mode: "lines+markers", name: a.chart,
        text: a.points.map(function (p) { return p.count + " / " + p.n + " " + t.parts; }), hoverinfo: "x+y+text",
        line: { color: C.line, width: 1.5 }, marker: { size: 7 } },
      signals(a.points, key, function (p) { return p.value; }),
      limit(keys, a.points.map(function (p) { return p.ucl; }), "UCL"),
      limit(keys, a.points.map(function (p) { return p.lcl; }), "LCL"),
      { x: keys, y: a.points.map(function (p) { return p.center; }), mode: "lines", name: "CL", line: { color: C.center, width: 1.2, shape: "hvh" } }
    ], layout({ xaxis: { type: "category", gridcolor: grid } }), config);
  }

  /* Subgroups of unequal size: each point's own limits over the control chart spc.js drew. */
  var ctl = data.control;
  if (ctl && ctl.subgroups && document.getElementById("chart-control")) {
    var byX = ctl.subgroups;
    Plotly.addTraces("chart-control", [
      limit(byX.map(x), byX.map(function (g) { return g.ucl; }), t.limits),
      limit(byX.map(x), byX.map(function (g) { return g.lcl; }), t.limits)]);
    Plotly.addTraces("chart-secondary", [
      limit(byX.map(x), byX.map(function (g) { return g.secondary_ucl; }), t.limits),
      limit(byX.map(x), byX.map(function (g) { return g.secondary_lcl; }), t.limits)]);
  }
})();
