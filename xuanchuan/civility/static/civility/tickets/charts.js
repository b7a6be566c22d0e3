/* Charts of the tickets statistics page, drawn with the vendored ECharts from the JSON the page
   carries in <script id="civility-chart-data" type="application/json"> (CSP: no inline script). */
(function () {
  "use strict";
  var source = document.getElementById("civility-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var COLORS = ["#b71c1c", "#1565c0", "#2e7d32"];

  function units(rows) {
    var names = ["交办单", "整改完成问题", "按期整改"];
    return {
      color: COLORS,
      legend: { top: 0 },
      grid: { left: 90, right: 16, top: 30, bottom: 20 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }) },
      series: names.map(function (name, i) {
        return { name: name, type: "bar", data: rows.map(function (r) { return r[i + 1]; }) };
      })
    };
  }

  function groups(rows) {
    return {
      color: ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#9e9d24", "#5d4037"],
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: rows.map(function (r) { return { name: r[0], value: r[1] }; }) }]
    };
  }

  document.querySelectorAll(".civility-chart").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    var rows = data[key] || [];
    var chart = echarts.init(element);
    chart.setOption(key === "group" ? groups(rows) : units(rows));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
