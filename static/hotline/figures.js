(function () {
  "use strict";
  const rows = JSON.parse(document.getElementById("hour-data").textContent);
  const chart = echarts.init(document.getElementById("hour-chart"));
  chart.setOption({
    tooltip: {},
    xAxis: { type: "category", data: rows.map((r) => `${r.hour}时`) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: rows.map((r) => r.calls), itemStyle: { color: "#b3121d" } }],
  });
})();
