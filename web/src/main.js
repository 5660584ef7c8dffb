// 宗地编辑器 (served at /): wiring of login, map, search, tools, export.
import { TOKEN_KEY, askLogin, getJSON, installLogin, request, token } from "./api.js";
import * as edit from "./edit.js";
import { createMap, installLayerControls, loadRegions, overlays, refreshParcels } from "./mapview.js";
import { say } from "./messages.js";
import { loadVocabulary } from "./panel.js";
import { $, esc } from "./util.js";

let map;

async function showUser() {
  const me = await getJSON("/api/v1/auth/me");
  $("user").textContent = `${me.name} · ${me.role_label}`;
  $("logout").hidden = false;
  edit.S.canWrite = me.permissions.includes("parcels:write");
  edit.refreshTools();
  if (!edit.S.canWrite) say("info", "您的角色只能查看宗地, 不能编辑。");
  return me;
}

// --- search ----------------------------------------------------------------------------
function installSearch() {
  const list = $("search-results");
  document.addEventListener("click", (ev) => { if (!$("search-form").contains(ev.target)) list.hidden = true; });
  $("search-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const q = $("search").value.trim();
    if (!q) return;
    try {
      const { hits } = await getJSON(`/api/v1/parcels/search?q=${encodeURIComponent(q)}`);
      list.hidden = false;
      list.innerHTML = hits.length ? hits.map((h) => `<li><a href="#" data-code="${esc(h.unit_code)}"><code>${esc(h.unit_code)}</code>
        ${esc(h.name || "")} <small>${esc(h.town_name || "")} · ${h.area_mu.toFixed(2)} 亩${h.enterprises.length ? " · " + esc(h.enterprises.join("、")) : ""}</small></a></li>`).join("")
        : "<li>没有找到匹配的宗地</li>";
      list.querySelectorAll("a[data-code]").forEach((a) => a.addEventListener("click", async (e) => {
        e.preventDefault();
        list.hidden = true;
        await edit.openParcel(a.dataset.code, { fly: true });
      }));
      if (hits.length === 1) list.querySelector("a").click();
    } catch (err) {
      say("error", `检索失败: ${esc(err.message)}`);
    }
  });
}

// --- export: the export API needs the bearer header, so fetch as a blob and save -------
async function download(scope, format) {
  let bounds;
  if (scope === "view") {
    const b = map.getBounds();
    bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  } else {
    const pts = [];
    const walk = (c) => (typeof c[0] === "number" ? pts.push(c) : c.forEach(walk));
    walk(edit.S.current.feature.geometry.coordinates);
    bounds = [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
  }
  const url = `/api/v1/exports/parcels?format=${format}&bbox=${bounds.map((v) => v.toFixed(6)).join(",")}`;
  const note = say("info", "正在导出…");
  const res = await request(url);
  if (!res.ok) {
    const p = await res.json().catch(() => ({}));
    note.className = "msg error";
    note.textContent = `导出失败: ${p.detail || res.status}`;
    return;
  }
  const name = decodeURIComponent((res.headers.get("Content-Disposition") || "").match(/filename\*=UTF-8''([^;]+)/)?.[1] || `宗地.${format === "shp" ? "zip" : format}`);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(await res.blob());
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  note.className = "msg ok";
  note.textContent = `已导出 ${name}`;
}

function installTools() {
  const guard = (f) => () => f().catch((err) => say("error", esc(err.message)));
  $("tool-edit").addEventListener("click", guard(edit.startEdit));
  $("tool-draw").addEventListener("click", guard(edit.startDraw));
  $("tool-split").addEventListener("click", () => edit.startSplit());
  $("tool-merge").addEventListener("click", () => edit.startMerge());
  $("save").addEventListener("click", guard(edit.save));
  $("undo").addEventListener("click", () => edit.undo());
  $("cancel").addEventListener("click", () => { edit.stopEditing(); say("info", "已放弃未保存的编辑。"); });
  document.querySelectorAll("[data-export]").forEach((b) => b.addEventListener("click",
    () => download(b.dataset.export, b.dataset.format).catch((err) => say("error", esc(err.message)))));
  map.on("click", (ev) => edit.onMapClick(ev).catch((err) => say("error", esc(err.message))));
}

async function init() {
  installLogin(() => {});
  if (!token()) await askLogin("");
  map = createMap();
  // A small hook for the browser tests and the console; the editor never reads it.
  window.landgovEditor = { map, state: edit.S, edit, overlays, refreshParcels: () => refreshParcels(map) };
  await new Promise((resolve) => (map.loaded() ? resolve() : map.once("load", resolve)));
  edit.createDraw(map);
  // a tile refused for an expired token: log in again, then fetch the tiles anew
  let relogin = null;
  map.on("error", (ev) => {
    if (ev.error?.status !== 401 || relogin) return;
    sessionStorage.removeItem(TOKEN_KEY);
    relogin = askLogin("登录已过期, 请重新登录").then(() => { relogin = null; refreshParcels(map); });
  });
  installTools();
  installSearch();
  try {
    await showUser();
    await Promise.all([loadRegions(map), loadVocabulary(), installLayerControls(map)]);
    document.body.dataset.ready = "true";
  } catch (err) {
    say("error", `加载失败: ${esc(err.message)}`);
  }
}

init();
