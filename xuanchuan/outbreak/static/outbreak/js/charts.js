/* Trend charts of the daily-report roll-up: data from <script type="application/json" id="rollup-chart-data">. */
(function () {
  "use strict";
  var source = document.getElementById("rollup-chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function draw(id, series, yName) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = echarts.init(element);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", name: yName, max: yName === "%" ? 100 : null },
      series: series.map(function (item) {
        return { name: item.name, type: "line", connectNulls: false, showSymbol: data.days.length <= 31, data: item.data };
      })
    });
    charts.push(chart);
  }

  draw("trend-chart", data.series, "");
  draw("rate-chart", Object.keys(data.rates).map(function (name) {
    return { name: name, data: data.rates[name] };
  }), "%");
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
