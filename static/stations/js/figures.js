(function () {
  "use strict";
  var el = document.getElementById("visits-per-day");
  var data = document.getElementById("visits-chart");
  if (!el || !data || !window.echarts) return;
  var chart = JSON.parse(data.textContent);
  var c = window.echarts.init(el);
  c.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "category", data: chart.days },
    yAxis: { type: "value" },
    series: [{ type: "line", data: chart.totals, smooth: true, areaStyle: {}, color: "#b3121d" }]
  });
  window.addEventListener("resize", function () { c.resize(); });
})();
