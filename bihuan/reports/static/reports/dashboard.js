/* The dashboard's two charts, drawn from the figures the page embeds as JSON (no inline script). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var LIGHT_COLOURS = { red: "#dc3545", yellow: "#ffc107", green: "#198754" };

  function draw(id, option, items) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    // Every figure leads to the ledger rows behind it.
    chart.on("click", function (params) {
      var item = items[params.dataIndex];
      if (item && item.url) {
        window.location.href = item.url;
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function names(items) {
    return items.map(function (item) { return item.name; });
  }

  draw("chart-states", {
    // Tooltips drawn on the canvas: an HTML tooltip carries style attributes the CSP refuses.
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: names(data.states) },
    series: [{
      type: "bar",
      barMaxWidth: 24,
      itemStyle: { color: "#b02a37" },
      label: { show: true, position: "right" },
      data: data.states.map(function (item) { return item.value; })
    }]
  }, data.states);

  draw("chart-lights", {
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）", renderMode: "richText" },
    legend: { bottom: 0 },
    series: [{
      type: "pie",
      radius: ["40%", "68%"],
      center: ["50%", "45%"],
      label: { formatter: "{b}\n{c}" },
      data: data.lights.map(function (item) {
        return { name: item.name, value: item.value, itemStyle: { color: LIGHT_COLOURS[item.key] } };
      })
    }]
  }, data.lights);
})();
