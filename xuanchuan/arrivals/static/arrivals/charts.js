/* Charts of the arrivals statistics page, drawn with the vendored ECharts from the JSON the page
   carries in <script id="arrivals-chart-data" type="application/json"> (CSP: no inline script). */
(function () {
  "use strict";
  var source = document.getElementById("arrivals-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var RED = "#b71c1c";
  var LEVEL_COLORS = { "高风险": "#c62828", "中风险": "#ef6c00", "低风险": "#1565c0", "非风险地区": "#9e9e9e" };

  function bar(pairs, horizontal) {
    var names = pairs.map(function (p) { return p[0]; });
    var values = pairs.map(function (p) { return p[1]; });
    var category = { type: "category", data: names, axisLabel: { fontSize: 11 } };
    var value = { type: "value", minInterval: 1 };
    return {
      grid: { left: horizontal ? 90 : 40, right: 16, top: 16, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: values, itemStyle: { color: RED } }]
    };
  }

  function pie(pairs) {
    return {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: pairs.map(function (p) {
        return { name: p[0], value: p[1], itemStyle: { color: LEVEL_COLORS[p[0]] || RED } };
      }) }]
    };
  }

  document.querySelectorAll(".arrivals-chart").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    var pairs = data[key] || [];
    var option = key === "level" ? pie(pairs) : bar(pairs, key !== "day");
    var chart = echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
