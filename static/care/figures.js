// Campaign figures charts (ECharts, vendored). Data comes from the page's json_script block.
(function () {
  "use strict";
  var el = document.getElementById("care-figures");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var items = echarts.init(document.getElementById("chart-items"));
  items.setOption({
    title: { text: "各项目发放金额（元）", textStyle: { fontSize: 14 } },
    tooltip: {},
    grid: { left: 80, right: 20, bottom: 40 },
    xAxis: { type: "category", data: data.by_item.map(function (r) { return r.name; }), axisLabel: { interval: 0, width: 80, overflow: "truncate" } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.by_item.map(function (r) { return Number(r.amount); }), itemStyle: { color: "#b3121d" } }]
  });
  var cats = echarts.init(document.getElementById("chart-categories"));
  cats.setOption({
    title: { text: "各类别慰问人数", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.by_category.map(function (r) { return { name: r.label, value: r.persons }; }) }]
  });
  window.addEventListener("resize", function () { items.resize(); cats.resize(); });
})();
