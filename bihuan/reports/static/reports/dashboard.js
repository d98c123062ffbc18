/* The dashboard's charts, drawn from the figures the page embeds as JSON (no inline script).
   Every bar, point and slice leads to the ledger rows it counts; the tables under the charts
   hold the same numbers for screen readers and for print. */
(function () {
  "use strict";
  // The page's own charts, and those the dashboard fetches into it (or their page of their own).
  var SOURCES = ["dashboard-data", "dashboard-more-data"];
  if (!window.echarts) {
    return;
  }
  var COLOURS = {
    red: "#dc3545",
    yellow: "#ffc107",
    green: "#198754",
    registered: "#0d6efd",
    closed: "#198754",
    measures: "#b02a37",
    overdue: "#b02a37",
    problems: "#6f42c1",
    score: "#0d6efd",
    pending: "#fd7e14",
    in_progress: "#0d6efd",
    submitted: "#20c997",
    cancelled: "#adb5bd"
  };
  // Tooltips drawn on the canvas: an HTML tooltip carries style attributes the CSP refuses.
  var TOOLTIP = { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true };
  var GRID = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
  var UNIT_ROW_PX = 26;

  function narrow() {
    return window.innerWidth < 576;
  }

  function categoryAxis(labels, sideways) {
    var axis = { type: "category", data: labels, axisTick: { alignWithLabel: true } };
    if (sideways) {
      axis.inverse = true;
      axis.axisLabel = { width: narrow() ? 84 : 160, overflow: "truncate" };
    } else {
      axis.axisLabel = { hideOverlap: true };
    }
    return axis;
  }

  function option(chart) {
    var legend = { top: 0, type: "scroll" };
    if (chart.kind === "pie") {
      var first = chart.series[0];
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）", renderMode: "richText" },
        legend: { bottom: 0 },
        series: [{
          type: "pie",
          radius: ["40%", "68%"],
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{c}" },
          data: chart.labels.map(function (label, i) {
            return { name: label, value: first.values[i], itemStyle: { color: COLOURS[chart.keys[i]] } };
          })
        }]
      };
    }
    var sideways = chart.kind === "hbar" || chart.kind === "units";
    var stacked = chart.kind === "stack" || chart.kind === "units";
    var named = stacked || chart.series.length > 1;
    var valueAxis = { type: "value", minInterval: 1 };
    return {
      tooltip: TOOLTIP,
      legend: named ? legend : undefined,
      // Room above for the legend, or for the figures printed over upright bars.
      grid: named || !sideways ? GRID : { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: sideways ? valueAxis : categoryAxis(chart.labels, false),
      yAxis: sideways ? categoryAxis(chart.labels, true) : valueAxis,
      series: chart.series.map(function (series) {
        var drawn = {
          name: series.name,
          type: chart.kind === "line" ? "line" : "bar",
          data: series.values,
          itemStyle: { color: COLOURS[series.key] },
          barMaxWidth: 28
        };
        if (stacked) {
          drawn.stack = "all";
        } else if (chart.kind === "line") {
          drawn.symbolSize = 10;
        } else {
          drawn.label = { show: true, position: sideways ? "right" : "top" };
        }
        return drawn;
      })
    };
  }

  function draw(key, chart) {
    var element = document.getElementById("chart-" + key);
    if (!element || window.echarts.getInstanceByDom(element)) {
      return null;
    }
    if (chart.kind === "units") {
      // Set through the CSSOM, which the Content-Security-Policy allows (a style attribute it does not).
      element.style.height = Math.max(280, chart.labels.length * UNIT_ROW_PX + 80) + "px";
    }
    var drawn = window.echarts.init(element);
    drawn.setOption(option(chart));
    drawn.bihuanChart = chart;
    drawn.on("click", function (params) {
      var series = chart.kind === "pie" ? chart.series[0] : chart.series[params.seriesIndex];
      var url = series && series.urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    return drawn;
  }

  var drawn = [];

  function drawAll() {
    SOURCES.forEach(function (id) {
      var source = document.getElementById(id);
      if (!source) {
        return;
      }
      var charts = JSON.parse(source.textContent);
      Object.keys(charts).forEach(function (key) {
        var chart = draw(key, charts[key]);
        if (chart) {
          drawn.push(chart);
        }
      });
    });
  }

  drawAll();
  // htmx announces each piece of content it puts into the page.
  document.body.addEventListener("htmx:load", drawAll);

  // Follow the window (a phone turned sideways); across the phone breakpoint the unit names
  // get another width, so the options are set again.
  var pending = null;
  var wasNarrow = narrow();
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      var changed = narrow() !== wasNarrow;
      wasNarrow = narrow();
      drawn.forEach(function (chart) {
        if (changed) {
          chart.setOption(option(chart.bihuanChart));
        }
        chart.resize();
      });
    }, 100);
  });

  // Print the tables in place of the canvases (dashboard.css hides those): open every table
  // that is closed, and close them again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.chart-figures"), function (details) {
      return !details.open;
    });
    opened.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });
})();
