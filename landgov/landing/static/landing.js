// 首页地图: 区界、镇街、平台与宗地 (按状态着色)。全部数据来自本系统 API, 无外部底图。
"use strict";

const STATUS = {
  supplied: ["已供地", "#8fb8de"],
  under_construction: ["在建", "#c9a0dc"],
  producing: ["在产", "#5aa469"],
  idle: ["闲置", "#f2c14e"],
  cleared: ["已出清", "#9e9e9e"],
  reclaimed: ["已盘活", "#4f86c6"],
  relet: ["已再出让", "#2e5e8c"],
};
// 一码状态色 (DOMAIN.md): 由最近一次亩均效益评价按用地份额加权得出
const COLOUR = {
  green: ["绿 (A/B 类, 无标签)", "#3c9d4e"],
  yellow: ["黄 (C 类或一项标签)", "#f0c419"],
  red: ["红 (D 类、两项以上标签或两低两高)", "#d64541"],
  grey: ["灰 (闲置 / 已出清)", "#9e9e9e"],
  none: ["未评价", "#d8d8d8"],
};
let styleBy = "colour";
const PARCEL_MIN_ZOOM = 10;
const statusEl = document.getElementById("status");

const map = L.map("map", { preferCanvas: true, zoomSnap: 0.5 }).setView([30.05, 120.68], 11);
L.control.scale({ imperial: false }).addTo(map);

const towns = L.geoJSON(null, {
  style: { color: "#777", weight: 1, dashArray: "4 3", fill: false },
  onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name, { sticky: true }),
}).addTo(map);
const platforms = L.geoJSON(null, {
  style: { color: "#d9534f", weight: 2, fillOpacity: 0.04 },
  onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name, { sticky: true }),
}).addTo(map);
const counties = L.geoJSON(null, { style: { color: "#1f3a5f", weight: 3, fill: false } }).addTo(map);
const parcels = L.geoJSON(null, {
  style: (f) => ({ color: "#333", weight: 0.5, fillOpacity: 0.75, fillColor: fillOf(f.properties) }),
  onEachFeature: (f, layer) => layer.bindPopup(() => popup(f.properties)),
}).addTo(map);

function fillOf(p) {
  if (styleBy === "colour") return COLOUR[p.colour || "none"][1];
  return (STATUS[p.status] || ["", "#ccc"])[1];
}

function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function popup(p) {
  const firms = p.enterprises.map((e) => `${escapeHtml(e.name)} (${(e.share * 100).toFixed(0)}%)`).join("<br>") || "—";
  const rows = [
    ["不动产单元代码", `<code>${escapeHtml(p.unit_code)}</code>`],
    ["面积", `${Number(p.area_mu).toFixed(2)} 亩`],
    ["镇街", escapeHtml(p.town_name || "—")],
    ["平台", escapeHtml(p.platforms.join("、") || "—")],
    ["用地分类", escapeHtml(p.land_use_code)],
    ["状态", escapeHtml((STATUS[p.status] || [p.status])[0])],
    ["评价类别", escapeHtml(p.evaluation_class || "—") + (p.two_low_two_high ? " · 两低两高" : "")],
    ["一码状态色", escapeHtml(COLOUR[p.colour || "none"][0])],
    ["用地企业", firms],
    ["版本", p.version],
  ];
  return `<div class="parcel-popup"><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table></div>`;
}

// 登录: OAuth2 密码模式取得令牌, 存于本标签页 (sessionStorage), 关闭即失效。
const TOKEN_KEY = "landgov.token";
const loginDialog = document.getElementById("login");
let loginWaiters = [];

function askLogin(message) {
  document.getElementById("login-error").textContent = message || "";
  if (!loginDialog.open) loginDialog.showModal();
  return new Promise((resolve) => loginWaiters.push(resolve));
}

document.getElementById("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const res = await fetch("/api/v1/auth/token", { method: "POST", body: new URLSearchParams(form) });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    document.getElementById("login-error").textContent = problem.detail || "登录失败";
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, (await res.json()).access_token);
  loginDialog.close();
  showUser();
  const waiters = loginWaiters;
  loginWaiters = [];
  waiters.forEach((resolve) => resolve());
});

document.getElementById("logout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

async function showUser() {
  const me = await getJSON("/api/v1/auth/me");
  document.getElementById("user").textContent = `${me.name} · ${me.role_label}`;
  document.getElementById("logout").hidden = false;
}

async function getJSON(url) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { Accept: "application/geo+json, application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers });
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    await askLogin(token ? "登录已过期, 请重新登录" : "");
    return getJSON(url);
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.detail || `${res.status} ${res.statusText}`);
  }
  return res.json();
}

let loadSeq = 0;
async function loadParcels() {
  const seq = ++loadSeq;
  if (map.getZoom() < PARCEL_MIN_ZOOM) {
    parcels.clearLayers();
    statusEl.textContent = `放大到 ${PARCEL_MIN_ZOOM} 级以上显示宗地`;
    return;
  }
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
  statusEl.textContent = "正在加载宗地…";
  try {
    const fc = await getJSON(`/api/v1/parcels?bbox=${bbox}&limit=10000`);
    if (seq !== loadSeq) return;
    parcels.clearLayers();
    parcels.addData(fc);
    const more = fc.numberMatched > fc.numberReturned ? ` (共 ${fc.numberMatched} 宗, 请放大)` : "";
    statusEl.textContent = `当前视图 ${fc.numberReturned} 宗宗地${more}`;
  } catch (err) {
    statusEl.textContent = `宗地加载失败: ${err.message}`;
  }
}

function legendHtml() {
  const entries = styleBy === "colour" ? COLOUR : STATUS;
  return `<h2>${styleBy === "colour" ? "一码状态色" : "宗地状态"}</h2>` +
    '<div class="switch"><label><input type="radio" name="style-by" value="colour"' +
    (styleBy === "colour" ? " checked" : "") + '> 状态色</label> <label><input type="radio" name="style-by" value="status"' +
    (styleBy === "status" ? " checked" : "") + "> 宗地状态</label></div>" +
    Object.values(entries).map(([label, color]) => `<div><i style="background:${color}"></i>${label}</div>`).join("") +
    '<div><i style="background:transparent;border:2px solid #d9534f"></i>开发平台</div>' +
    '<div><i style="background:transparent;border:1px dashed #777"></i>镇街</div>';
}

function legend() {
  const ctl = L.control({ position: "bottomright" });
  ctl.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML = legendHtml();
    L.DomEvent.disableClickPropagation(div);
    div.addEventListener("change", (ev) => {
      styleBy = ev.target.value;
      div.innerHTML = legendHtml();
      parcels.setStyle((f) => ({ fillColor: fillOf(f.properties) }));
    });
    return div;
  };
  ctl.addTo(map);
}

async function init() {
  legend();
  try {
    await showUser();
    const [c, t, p] = await Promise.all(["counties", "towns", "platforms"].map((l) => getJSON(`/api/v1/regions/${l}`)));
    counties.addData(c);
    towns.addData(t);
    platforms.addData(p);
    const first = c.features.find((f) => f.id === "330602") || c.features[0];
    if (first) map.fitBounds(L.geoJSON(first).getBounds());
  } catch (err) {
    statusEl.textContent = `区域加载失败: ${err.message}`;
  }
  map.on("moveend", loadParcels);
  loadParcels();
}

init();
