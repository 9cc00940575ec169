// The rights figures page: cases per category as a bar chart (data from json_script).
(function () {
  "use strict";
  const source = document.getElementById("category-data");
  const target = document.getElementById("category-chart");
  if (!source || !target || !window.echarts) return;
  const rows = JSON.parse(source.textContent);
  const chart = echarts.init(target);
  chart.setOption({
    tooltip: {},
    xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: rows.map((r) => r.cases), itemStyle: { color: "#b3121d" } }],
  });
})();
