/* communique dashboard: charts (ECharts), network (Cytoscape), map (ECharts + world-atlas),
   and evidence highlighting. Every page puts its data in <script id="page-data">
   (type application/json: data, never run) and names its drawing in data-page. */
(function () {
  "use strict";
  var COLORS = { "in-person": "#2a6f97", call: "#e07a24", message: "#6a994e" };

  function pageData() {
    var el = document.getElementById("page-data");
    return el ? JSON.parse(el.textContent) : {};
  }
  function done(name, count) {
    document.body.dataset.rendered = name;
    document.body.dataset.count = String(count);
  }

  function countryPage() {
    var data = pageData();
    var rows = data.timeline || [];
    var counterparts = [];
    rows.forEach(function (r) { if (counterparts.indexOf(r.counterpart) < 0) counterparts.push(r.counterpart); });
    var chart = echarts.init(document.getElementById("timeline"));
    var series = (data.kinds || []).map(function (k) {
      return {
        name: k, type: "scatter", symbolSize: 10, itemStyle: { color: COLORS[k] },
        data: rows.filter(function (r) { return r.kind === k && r.date; })
          .map(function (r) { return { value: [r.date, r.counterpart], persons: (r.persons || []).join("; "), sources: r.sources }; })
      };
    });
    chart.setOption({
      tooltip: { formatter: function (p) { return p.value[0] + " · " + p.value[1] + "<br>" + echarts.format.encodeHTML(p.data.persons || "") + "<br>sources: " + p.data.sources; } },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "time" },
      yAxis: { type: "category", data: counterparts },
      series: series
    });
    window.communiqueCharts = { timeline: chart };
    var topics = data.topics || [];
    var tchart = echarts.init(document.getElementById("topics"));
    tchart.setOption({
      grid: { left: 120, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: topics.map(function (t) { return t.topic; }).reverse() },
      series: [{ type: "bar", data: topics.map(function (t) { return t.documents; }).reverse(), itemStyle: { color: "#2a6f97" } }]
    });
    window.communiqueCharts.topics = tchart;
    done("country", rows.length);
  }

  function mapPage() {
    var data = pageData();
    var chart = echarts.init(document.getElementById("map"));
    Promise.all([
      fetch("/static/vendor/countries-110m.json").then(function (r) { return r.json(); }),
      fetch("/static/vendor/iso-numeric.json").then(function (r) { return r.json(); })
    ]).then(function (loaded) {
      var topo = loaded[0], numeric = loaded[1];
      var world = topojson.feature(topo, topo.objects.countries);
      // Antarctica is left out; rings that cross the antimeridian (Russia, Fiji) are unwrapped
      // so that no polygon is drawn across the whole map
      world.features = world.features.filter(function (f) { return String(f.id) !== "010"; });
      world.features.forEach(function (f) {
        f.properties.name = numeric[String(f.id)] || f.properties.name;
        var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
        polys.forEach(function (poly) {
          poly.forEach(function (ring) {
            var east = ring.some(function (p) { return p[0] > 160; });
            var west = ring.some(function (p) { return p[0] < -160; });
            if (east && west) ring.forEach(function (p) { if (p[0] < 0) p[0] += 360; });
          });
        });
      });
      echarts.registerMap("world", world);
      var values = Object.keys(data.counts).map(function (k) { return { name: k, value: data.counts[k] }; });
      var max = Math.max.apply(null, values.map(function (v) { return v.value; }).concat([1]));
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + (p.value || 0); } },
        visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true, inRange: { color: ["#e0ecf4", "#08306b"] } },
        series: [{ type: "map", map: "world", roam: true, data: values.concat([{ name: data.country, value: 0, itemStyle: { areaColor: "#e07a24" } }]) }]
      });
      window.communiqueCharts = { map: chart };
      done("map", values.length);
    });
  }

  function networkPage() {
    var graph = pageData();
    var max = Math.max.apply(null, graph.edges.map(function (e) { return e.weight; }).concat([1]));
    var cy = cytoscape({
      container: document.getElementById("network"),
      elements: graph.nodes.map(function (n) { return { data: { id: n.id, kind: n.kind, degree: n.degree } }; })
        .concat(graph.edges.map(function (e, i) { return { data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight } }; })),
      style: [
        { selector: "node", style: { label: "data(id)", "font-size": 9, width: "mapData(degree, 1, 50, 8, 40)", height: "mapData(degree, 1, 50, 8, 40)", "background-color": "#2a6f97" } },
        { selector: 'node[kind = "organization"]', style: { shape: "diamond", "background-color": "#6a994e" } },
        { selector: "edge", style: { width: "mapData(weight, 1, " + max + ", 1, 8)", "line-color": "#9ab", opacity: 0.7 } }
      ],
      layout: { name: "cose", animate: false, randomize: false }
    });
    window.communiqueGraph = cy;
    done("network", cy.nodes().length);
  }

  function documentPage() {
    function light(selector, on) {
      document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
      var first = null;
      document.querySelectorAll(selector).forEach(function (el) {
        el.classList.add("hl");
        if (!first) first = el;
      });
      if (first && on) first.scrollIntoView({ block: "center" });
      return first;
    }
    document.querySelectorAll("button.fact").forEach(function (b) {
      b.addEventListener("click", function () {
        light('[data-events~="' + b.dataset.event + '"]', true);
        document.body.dataset.highlighted = b.dataset.event;
      });
    });
    document.querySelectorAll("button.actor-btn").forEach(function (b) {
      b.addEventListener("click", function () { light('mark[data-actor="' + b.dataset.actor + '"]', true); });
    });
    done("document", document.querySelectorAll("button.fact").length);
  }

  window.communique = { countryPage: countryPage, mapPage: mapPage, networkPage: networkPage, documentPage: documentPage };
  // the page names its drawing in the data-page attribute of this script (no inline script:
  // the Content-Security-Policy allows scripts from /static only)
  var me = document.currentScript;
  var page = me && me.dataset.page;
  if (page && typeof window.communique[page] === "function") window.communique[page]();
})();
