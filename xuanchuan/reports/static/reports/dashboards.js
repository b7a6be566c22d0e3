/* 数据看板: draws every chart of the page with the vendored ECharts from the JSON the page carries in
   <script id="dashboard-data" type="application/json"> (CSP: no inline script), opens the records
   behind a point on click, and saves a chart as a PNG ("导出图片"). A null value is a gap, not a 0. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var COLORS = ["#b71c1c", "#90a4ae", "#1565c0", "#ef6c00"];
  var FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
  var page = JSON.parse(source.textContent);
  var byId = {};
  page.charts.forEach(function (chart) { byId[chart.id] = chart; });
  var drawn = {};

  function valueAxis(data) {
    var axis = { type: "value", name: data.unit, minInterval: data.percent ? 0 : 1 };
    if (data.percent) { axis.max = 100; }
    return axis;
  }

  function option(data) {
    var horizontal = data.kind === "bar";
    var category = { type: "category", data: data.categories, axisLabel: { fontSize: 11 } };
    if (horizontal) { category.inverse = true; }
    return {
      animation: false,
      color: COLORS,
      textStyle: { fontFamily: FONT },
      title: { show: false, text: data.title, subtext: page.scope + (data.unit ? " · 单位：" + data.unit : ""), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value === null || value === undefined ? "—" : value; } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis(data) : Object.assign(category, { boundaryGap: false }),
      yAxis: horizontal ? category : valueAxis(data),
      series: data.series.map(function (item) {
        return horizontal
          ? { name: item.name, type: "bar", data: item.data, barMaxWidth: 14 }
          : { name: item.name, type: "line", data: item.data, connectNulls: false, showSymbol: true, symbolSize: 6 };
      })
    };
  }

  document.querySelectorAll(".dashboard-chart[data-chart]").forEach(function (element) {
    var data = byId[element.getAttribute("data-chart")];
    if (!data) { return; }
    var chart = echarts.init(element);
    chart.setOption(option(data));
    chart.on("click", function (params) {
      var series = data.series[params.seriesIndex];
      if (series && series.data[params.dataIndex] !== null && series.links[params.dataIndex]) {
        window.location.href = series.links[params.dataIndex];
      }
    });
    drawn[data.id] = chart;
  });

  function savePng(id) {
    var chart = drawn[id];
    var data = byId[id];
    if (!chart || !data) { return; }
    // The picture carries its own title, which the page shows in the card header instead.
    chart.setOption({ title: { show: true, top: 4 }, legend: { top: 56 }, grid: { top: 96 } });
    var url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    chart.setOption({ title: { show: false }, legend: { top: 0 }, grid: { top: 36 } });
    var link = document.createElement("a");
    link.href = url;
    link.download = data.title + "-" + id + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.querySelectorAll(".dashboard-png[data-chart]").forEach(function (button) {
    button.addEventListener("click", function () { savePng(button.getAttribute("data-chart")); });
  });
  window.addEventListener("resize", function () {
    Object.keys(drawn).forEach(function (id) { drawn[id].resize(); });
  });
}());
