// 专题地图外壳: 用本标签页的登录令牌 (sessionStorage["landgov.token"]) 换取一个短期签名链接,
// 在 iframe 中打开 Folium 地图页 (iframe 导航无法携带 Authorization 头, 见 docs/maps.md)。
"use strict";
const TOKEN_KEY = "landgov.token";
const frame = document.getElementById("map-frame");
const statusLine = document.getElementById("status");
const loginDialog = document.getElementById("login");
let pending = null;

function say(text) { statusLine.textContent = text || ""; }

function linkPath(kind) {
  const town = document.getElementById("town").value.trim();
  if (kind === "matches") {
    const id = document.getElementById("project").value.trim();
    if (!/^[1-9][0-9]*$/.test(id)) return null;
    return `/maps/projects/${id}/matches/link`;
  }
  return `/maps/${kind}/link` + (town ? `?town=${encodeURIComponent(town)}` : "");
}

async function authorised(url) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  return fetch(url, { headers: { Authorization: `Bearer ${token}` } });
}

async function problem(res) {
  const body = await res.json().catch(() => ({}));
  return body.detail || `${res.status} ${res.statusText}`;
}

async function openMap(kind) {
  const path = linkPath(kind);
  if (!path) { say("请填写招商项目编号"); return; }
  const res = await authorised(path);
  if (res === null || res.status === 401) { pending = () => openMap(kind); askLogin(); return; }
  if (!res.ok) { say(await problem(res)); return; }
  say("正在生成地图…");
  frame.addEventListener("load", () => say(""), { once: true });
  frame.src = (await res.json()).url;
}

async function downloadBrochure() {
  const code = document.getElementById("plot").value.trim();
  if (!code) { say("请填写 28 位不动产单元代码或连片区编号"); return; }
  const kind = code.length === 28 ? "plot" : "zone";  // a 一码, else a zone code (ZB…)
  const res = await authorised(`/maps/brochure/${kind}/${encodeURIComponent(code)}?format=pdf`);
  if (res === null || res.status === 401) { pending = downloadBrochure; askLogin(); return; }
  if (!res.ok) { say(await problem(res)); return; }
  const link = document.getElementById("download");
  link.href = URL.createObjectURL(await res.blob());
  link.download = `地块推介单-${code}.pdf`;
  link.click();
  say("");
}

function askLogin(message) {
  document.getElementById("login-error").textContent = message || "";
  if (!loginDialog.open) loginDialog.showModal();
}

document.getElementById("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const res = await fetch("/api/v1/auth/token",
                          { method: "POST", body: new URLSearchParams(new FormData(ev.target)) });
  if (!res.ok) { askLogin(await problem(res)); return; }
  sessionStorage.setItem(TOKEN_KEY, (await res.json()).access_token);
  loginDialog.close();
  const next = pending;
  pending = null;
  if (next) next();
});

document.querySelectorAll("button[data-map]").forEach((b) =>
  b.addEventListener("click", () => openMap(b.dataset.map)));
document.getElementById("brochure").addEventListener("click", downloadBrochure);
const first = location.hash.slice(1);
if (first === "evaluation" || first === "zones") openMap(first);
