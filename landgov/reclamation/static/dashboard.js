// 盘活进度看板: 数据取自 /api/v1/reclamation/progress, 令牌为首页登录后存于
// sessionStorage["landgov.token"] 的 Bearer 令牌; 没有令牌时提示回首页登录。
// 图表用本地的 /vendor/echarts/echarts.min.js, 不访问任何外部地址。
"use strict";

const TOKEN_KEY = "landgov.token";
const API = "/api/v1/reclamation/progress";
const charts = {};
const fmt = (v) => (v === null || v === undefined ? "—"
  : Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

class LoginNeeded extends Error {}

async function getJSON(url) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new LoginNeeded();
  const res = await fetch(url, { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw new LoginNeeded();
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.detail || `${res.status} ${res.statusText}`);
  }
  return res.json();
}

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init(document.getElementById(id));
  return charts[id];
}

function drawTrend(p) {
  const months = p.rows.map((r) => r.key);
  const projected = p.projection.series.slice(1).map((s) => s.month);
  const axis = months.concat(projected);
  const pad = (values, before) => Array(before).fill(null).concat(values);
  const last = months.length - 1;
  chart("c-trend").setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["累计盘活 (并集)", "登记面积简单相加", "趋势推算", "任务目标"] },
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    xAxis: { type: "category", data: axis },
    yAxis: { type: "value", name: "亩" },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }],
    series: [
      { name: "累计盘活 (并集)", type: "line", data: p.rows.map((r) => r.cumulative_union_mu), showSymbol: false },
      { name: "登记面积简单相加", type: "line", data: p.rows.map((r) => r.cumulative_sum_mu),
        showSymbol: false, lineStyle: { type: "dotted" } },
      { name: "趋势推算", type: "line", showSymbol: false, lineStyle: { type: "dashed" },
        data: pad(p.projection.series.map((s) => s.cumulative_mu), last) },
      { name: "任务目标", type: "line", showSymbol: false, data: axis.map(() => p.target_mu),
        lineStyle: { color: "#c0392b" }, itemStyle: { color: "#c0392b" } },
    ],
  });
}

function drawTowns(p) {
  chart("c-towns").setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["累计盘活", "任务分解"] },
    grid: { left: 60, right: 20, bottom: 70 },
    xAxis: { type: "category", data: p.rows.map((r) => r.label), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", name: "亩" },
    series: [
      { name: "累计盘活", type: "bar", data: p.rows.map((r) => r.cumulative_union_mu) },
      { name: "任务分解", type: "bar", data: p.rows.map((r) => r.target_mu), itemStyle: { color: "#b0bec5" } },
    ],
  });
}

function drawModes(p) {
  chart("c-modes").setOption({
    tooltip: { trigger: "item", formatter: "{b}: {c} 亩 ({d}%)" },
    series: [{ type: "pie", radius: ["35%", "65%"],
               data: p.rows.filter((r) => r.cumulative_union_mu > 0)
                 .map((r) => ({ name: r.label, value: r.cumulative_union_mu })) }],
  });
}

function drawBlocks(p) {
  const b = p.blocks;
  chart("c-blocks").setOption({
    tooltip: {},
    grid: { left: 80, right: 30 },
    xAxis: { type: "value", name: "片", minInterval: 1 },
    yAxis: { type: "category", data: ["计划", "已完成"] },
    series: [{ type: "bar", label: { show: true, position: "right" },
               data: [b.planned === null ? { value: 0, label: { formatter: "未配置" } } : b.planned, b.done] }],
  });
}

function showCards(p) {
  const proj = p.projection;
  document.getElementById("k-union").textContent = `${fmt(p.cumulative_union_mu)} / ${fmt(p.target_mu)} 亩`;
  document.getElementById("k-percent").textContent = `${p.percent}%`;
  document.getElementById("k-sum").textContent = `${fmt(p.cumulative_sum_mu)} / ${fmt(p.overlap_mu)} 亩`;
  document.getElementById("k-needed").textContent = `${fmt(proj.needed_monthly_mu)} 亩/月`;
  document.getElementById("k-projected").textContent =
    `${fmt(proj.projected_mu)} 亩 (${proj.on_track ? "可完成" : "不足"})`;
  document.getElementById("footnote").textContent =
    `统计至 ${p.end}; 任务截止 ${p.deadline}; 趋势按最近 ${proj.months_used} 个月月均 ${fmt(proj.monthly_rate_mu)} 亩推算; ` +
    `连片指 ${p.blocks.eps_m} 米内相邻的盘活用地合计 ≥ ${p.blocks.min_mu} 亩。同一块地多次登记只计一次。`;
}

async function load() {
  const to = document.getElementById("to").value;
  const q = (by) => `${API}?by=${by}` + (to ? `&to=${encodeURIComponent(to)}` : "");
  const error = document.getElementById("error");
  error.hidden = true;
  try {
    const [months, towns, modes] = await Promise.all([getJSON(q("month")), getJSON(q("town")), getJSON(q("mode"))]);
    document.getElementById("login-needed").hidden = true;
    document.getElementById("board").hidden = false;
    showCards(months);
    drawTrend(months);
    drawTowns(towns);
    drawModes(modes);
    drawBlocks(months);
    Object.values(charts).forEach((c) => c.resize());
  } catch (err) {
    if (err instanceof LoginNeeded) {
      document.getElementById("login-needed").hidden = false;
      document.getElementById("board").hidden = true;
      return;
    }
    error.textContent = `加载失败: ${err.message}`;
    error.hidden = false;
  }
}

document.getElementById("filters").addEventListener("submit", (ev) => {
  ev.preventDefault();
  load();
});
window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
load();
