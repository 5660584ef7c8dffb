// Geometry editing with terra-draw on the MapLibre map, every write through the parcels
// API: move vertices (snapping to neighbouring parcels' vertices), draw a new parcel,
// split by a drawn line, merge adjacent parcels. The editor holds one unsaved change at
// a time; undo steps back through its geometry snapshots; a save refetches the tiles.
import {
  TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawSelectMode,
} from "terra-draw";
import { TerraDrawMapLibreGLAdapter } from "terra-draw-maplibre-gl-adapter";
import { Problem, call, getJSON } from "./api.js";
import { showConflict } from "./conflict.js";
import { hideParcel, refreshParcels, setOverlay } from "./mapview.js";
import { clearProblem, say, showRefusal } from "./messages.js";
import { formHtml, formValues, showHistory, showParcel, wireForm } from "./panel.js";
import { $, contains, esc, feature, vertices } from "./util.js";

const SNAP_PIXELS = 12;
const HINTS = {
  view: "点击地图上的宗地查看属性。",
  edit: "拖动节点修改边界 (靠近相邻宗地的节点时自动吸附); 拖动边中点可加节点。完成后点\"保存\"。",
  draw: "逐点单击绘制新宗地, 点回起点结束; 然后填写属性并点\"保存\"。",
  split: "画一条完整穿过选中宗地的线, 双击结束, 随即提交分割。",
  merge: "依次点选要合并的相邻宗地 (再点一次取消), 然后点\"执行合并\"。",
};

export const S = {
  mode: "view", current: null, drawId: null, snapshots: [], snap: [], merge: [],
  canWrite: false, busy: false,
};
let map;
let draw;

/** Nearest vertex of a neighbouring parcel within SNAP_PIXELS of the pointer. */
function snapTo(event) {
  let best;
  let bestD = SNAP_PIXELS;
  for (const v of S.snap) {
    const p = map.project(v);
    const d = Math.hypot(p.x - event.containerX, p.y - event.containerY);
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best;
}

export function createDraw(theMap) {
  map = theMap;
  const snapping = { toCustom: snapTo };
  draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 9 }),
    modes: [
      new TerraDrawSelectMode({
        allowManualDeselection: false,
        keyEvents: { deselect: null, delete: null, rotate: null, scale: null }, // keep the feature
        flags: { polygon: { feature: { draggable: false, coordinates: { draggable: true, midpoints: true, deletable: true, snappable: snapping } } } },
        styles: { selectedPolygonColor: "#00bcd4", selectedPolygonFillOpacity: 0.25, selectedPolygonOutlineColor: "#007c91", selectionPointColor: "#ff7f00", selectionPointWidth: 6 },
      }),
      new TerraDrawPolygonMode({ snapping, styles: { fillColor: "#00bcd4", outlineColor: "#007c91" } }),
      new TerraDrawLineStringMode({ snapping, styles: { lineStringColor: "#6a3d9a", lineStringWidth: 3 } }),
    ],
  });
  draw.start();
  draw.on("finish", onFinish);
  // a vertex deleted (right click) changes the feature without a "finish": snapshot it
  // once the changes stop (undo's own update equals the last snapshot, so is not pushed)
  // (a drag is snapshotted by its "finish", never half-way: skip while a button is down)
  let quiet;
  let pressed = false;
  map.getCanvasContainer().addEventListener("pointerdown", () => { pressed = true; });
  window.addEventListener("pointerup", () => { pressed = false; });
  draw.on("change", (ids, type) => {
    if (type !== "update" || S.drawId == null || !ids.includes(S.drawId)) return;
    clearTimeout(quiet);
    quiet = setTimeout(() => !pressed && S.drawId != null && draw.hasFeature(S.drawId) && pushSnapshot(), 400);
  });
  return draw;
}

/** Enable the tools the officer's role and the editor's state allow. */
export const refreshTools = () => setMode(S.mode);

function setMode(mode) {
  S.mode = mode;
  $("mode").textContent = HINTS[mode];
  const editing = mode === "edit" || mode === "draw";
  $("save").disabled = !(editing && S.drawId != null);
  $("cancel").disabled = mode === "view";
  $("undo").disabled = S.snapshots.length < 2;
  $("tool-edit").disabled = !(S.canWrite && S.current && mode === "view");
  $("tool-split").disabled = !(S.canWrite && S.current && mode === "view");
  $("tool-draw").disabled = !(S.canWrite && mode === "view");
  $("tool-merge").disabled = !(S.canWrite && mode === "view");
  $("merge-list").hidden = mode !== "merge";
  document.body.dataset.mode = mode;
}

const geometryOf = (id) => draw.getSnapshotFeature(id)?.geometry;
const asMulti = (g) => (g.type === "Polygon" ? { type: "MultiPolygon", coordinates: [g.coordinates] } : g);

function onFinish(id, context) {
  if (S.mode === "draw" && context.mode === "polygon") {
    S.drawId = id;
    draw.setMode("select");
    draw.selectFeature(id);
    S.snapshots = [geometryOf(id)];
    showNewForm();
  } else if (S.mode === "split" && context.mode === "linestring") {
    split(geometryOf(id)).finally(() => draw.hasFeature(id) && draw.removeFeatures([id]));
  } else if (id === S.drawId) {
    pushSnapshot();
  }
  setMode(S.mode);
}

function pushSnapshot() {
  const g = geometryOf(S.drawId);
  if (g && JSON.stringify(g) !== JSON.stringify(S.snapshots.at(-1))) S.snapshots.push(g);
  setMode(S.mode);
}

/** Undo the last unsaved change (a moved, added or deleted vertex). */
export function undo() {
  if (S.snapshots.length < 2) return;
  S.snapshots.pop();
  draw.updateFeatureGeometry(S.drawId, S.snapshots.at(-1));
  say("info", "已撤销最近一次未保存的修改。");
  setMode(S.mode);
}

/** Neighbouring parcels' vertices to snap to: around the edited parcel (its box grown by
 * half its size, at least ~100 m), or the view when drawing zoomed in (from z14). */
async function loadSnapVertices(around, exclude) {
  let box;
  if (around) {
    const pts = vertices(around);
    const [x0, y0, x1, y1] = [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])),
      Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
    const pad = Math.max((x1 - x0) / 2, (y1 - y0) / 2, 0.001);
    box = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
  } else if (map.getZoom() >= 14) {
    const b = map.getBounds();
    box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  } else {
    S.snap = [];
    say("info", "放大到 14 级以上绘制时, 可吸附到相邻宗地的节点。");
    return;
  }
  const fc = await getJSON(`/api/v1/parcels?bbox=${box.map((v) => v.toFixed(6)).join(",")}&limit=2000&digits=9`);
  S.snap = fc.features.filter((f) => f.id !== exclude).flatMap((f) => vertices(f.geometry));
}

// --- selecting and showing a parcel ---------------------------------------------------

export async function openParcel(code, { fly = false } = {}) {
  const { body, version } = await call(`/api/v1/parcels/${code}`);
  S.current = { feature: body, version, code };
  setOverlay(map, "selected", [feature(body.geometry)]);
  showParcel(body, version, S.canWrite);
  if (S.canWrite) {
    $("attr-save").addEventListener("click", saveAttributes);
    $("attr-reset").addEventListener("click", () => openParcel(code));
  }
  document.querySelectorAll('[data-export="selection"]').forEach((b) => { b.disabled = false; });
  if (fly) {
    const pts = vertices(body.geometry);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 120, maxZoom: 17, duration: 0 });
  }
  setMode(S.mode);
  await showHistory(code, (c) => openParcel(c, { fly: true }).catch((e) => say("warn", esc(e.message))));
  return S.current;
}

/** The current parcel under a click, from the API (works at every zoom). */
async function parcelAt(lngLat) {
  const e = 1e-7;
  const bbox = [lngLat.lng - e, lngLat.lat - e, lngLat.lng + e, lngLat.lat + e].join(",");
  const fc = await getJSON(`/api/v1/parcels?bbox=${bbox}&limit=50`);
  return fc.features.find((f) => contains(f.geometry, [lngLat.lng, lngLat.lat]));
}

export async function onMapClick(ev) {
  if (S.mode !== "view" && S.mode !== "merge") return;
  const hit = await parcelAt(ev.lngLat);
  if (!hit) return;
  setOverlay(map, "lineage", []);
  if (S.mode === "merge") toggleMerge(hit);
  else await openParcel(hit.id);
}

// --- geometry edit and new parcel -----------------------------------------------------

export async function startEdit() {
  const g = S.current.feature.geometry;
  if (g.coordinates.length !== 1) {
    say("warn", "该宗地由多个部分组成, 暂不支持在线修改边界; 请先分割或在桌面 GIS 中处理。");
    return;
  }
  clearProblem(map);
  const [id] = draw.addFeatures([feature({ type: "Polygon", coordinates: g.coordinates[0] }, { mode: "polygon" })]).map((r) => r.id);
  S.drawId = id;
  S.snapshots = [geometryOf(id)];
  hideParcel(map, S.current.feature.properties.fid);
  draw.setMode("select");
  draw.selectFeature(id);
  setMode("edit");
  await loadSnapVertices(g, S.current.code);
}

export async function startDraw() {
  clearProblem(map);
  S.drawId = null;
  S.snapshots = [];
  draw.setMode("polygon");
  setMode("draw");
  await loadSnapVertices(null, null);
}

function showNewForm() {
  const box = $("parcel");
  box.hidden = false;
  box.innerHTML = `<h2>新宗地</h2><p class="hint">代码由服务器按所在地籍子区赋予。</p>${formHtml({})}`;
  wireForm();
}

export function stopEditing() {
  draw.clear();
  draw.setMode("static");
  S.drawId = null;
  S.snapshots = [];
  S.merge = [];
  hideParcel(map, null);
  setOverlay(map, "merge", []);
  setMode("view");
}

export async function save() {
  if (S.busy || S.drawId == null) return;
  const geometry = asMulti(geometryOf(S.drawId));
  S.busy = true;
  try {
    if (S.mode === "draw") await saveNew(geometry);
    else await saveGeometry(geometry);
  } finally {
    S.busy = false;
  }
}

async function saveNew(geometry) {
  const attrs = Object.fromEntries(Object.entries(formValues()).filter(([, v]) => v !== null));
  try {
    const { body } = await call("/api/v1/parcels", { method: "POST", body: { geometry, ...attrs } });
    const code = body.unit_codes[0];
    say("ok", `已新建宗地 <code>${esc(code)}</code> (第 1 版)。${warnings(body)}`);
    afterWrite();
    await openParcel(code);
  } catch (err) {
    await refused(err, geometry);
  }
}

async function saveGeometry(geometry) {
  const { code, version, feature: f } = S.current;
  const attrs = formValues(f.properties); // attribute changes made meanwhile go in the same version
  try {
    const res = await call(`/api/v1/parcels/${code}`, { method: "PATCH", body: { geometry, ...attrs }, headers: { "If-Match": `"${version}"` } });
    say("ok", `宗地 <code>${esc(code)}</code> 的边界已保存为第 ${res.body.version} 版。${warnings(res.body)}`);
    afterWrite();
    await openParcel(code);
  } catch (err) {
    if (err instanceof Problem && err.status === 412) {
      await conflict({ geometry, attrs });
    } else await refused(err, geometry);
  }
}

async function saveAttributes() {
  if (S.mode === "edit") return save(); // boundary and attributes as one new version
  const { code, version, feature: f } = S.current;
  const changes = formValues(f.properties);
  if (Object.keys(changes).length === 0) {
    say("info", "属性没有改动。");
    return;
  }
  try {
    const res = await call(`/api/v1/parcels/${code}`, { method: "PATCH", body: changes, headers: { "If-Match": `"${version}"` } });
    say("ok", `宗地 <code>${esc(code)}</code> 的属性已保存为第 ${res.body.version} 版。`);
    afterWrite();
    await openParcel(code);
  } catch (err) {
    if (err instanceof Problem && err.status === 412) await conflict({ geometry: null, attrs: changes });
    else await refused(err, null);
  }
}

async function conflict(mine) {
  const { code, version, feature: f } = S.current;
  say("warn", `宗地 <code>${esc(code)}</code> 已被他人先保存, 您的修改未保存。请对照两个版本后重新加载。`);
  await showConflict(map, code, { ...mine, version, base: f.properties }, async () => {
    stopEditing();
    await openParcel(code);
    say("info", "已加载服务器的最新版本。");
  });
}

function warnings(body) {
  return body.warnings?.length ? `<br>注意: ${body.warnings.map(esc).join("; ")}` : "";
}

async function refused(err, where) {
  if (!(err instanceof Problem)) throw err;
  await showRefusal(map, err, where);
}

/** After a write: tiles on screen are refetched (their ETags changed), overlays cleared. */
function afterWrite() {
  clearProblem(map);
  stopEditing();
  refreshParcels(map);
}

// --- split and merge -----------------------------------------------------------------

export function startSplit() {
  clearProblem(map);
  draw.setMode("linestring");
  setMode("split");
}

async function split(line) {
  const { code, version } = S.current;
  try {
    const { body } = await call(`/api/v1/parcels/${code}/split`, { method: "POST", body: { line }, headers: { "If-Match": `"${version}"` } });
    await showLineage("分割", body);
  } catch (err) {
    setMode("view");
    draw.setMode("static");
    if (err instanceof Problem && err.status === 412) await conflict({ geometry: null, attrs: {} });
    else await refused(err, line);
  }
}

async function showLineage(kind, body) {
  const children = await Promise.all(body.unit_codes.map((c) => getJSON(`/api/v1/parcels/${c}`)));
  afterWrite();
  setOverlay(map, "lineage", children.map((c) => feature(c.geometry, { code: c.id })));
  const links = (codes) => codes.map((c) => `<code>${esc(c)}</code>`).join("、");
  say("ok", `<span class="lineage-result">${kind}完成: ${links(body.retired_codes)} → 新宗地 ${links(body.unit_codes)}</span>
    (原代码已注销, 谱系已记录)。`);
  await openParcel(body.unit_codes[0]);
}

export function startMerge() {
  clearProblem(map);
  S.merge = [];
  setMode("merge");
  renderMerge();
}

async function toggleMerge(hit) {
  const i = S.merge.findIndex((m) => m.code === hit.id);
  if (i >= 0) S.merge.splice(i, 1);
  else S.merge.push({ code: hit.id, version: hit.properties.version, geometry: hit.geometry });
  setOverlay(map, "merge", S.merge.map((m) => feature(m.geometry)));
  renderMerge();
}

function renderMerge() {
  const box = $("merge-list");
  box.innerHTML = `<h3>待合并宗地 (${S.merge.length})</h3><ul>${S.merge.map((m) =>
    `<li><code>${esc(m.code)}</code> 第 ${m.version} 版</li>`).join("")}</ul>
    <button type="button" id="merge-run"${S.merge.length < 2 ? " disabled" : ""}>执行合并</button>`;
  $("merge-run").addEventListener("click", merge);
}

async function merge() {
  const parcels = S.merge.map((m) => ({ unit_code: m.code, version: m.version }));
  try {
    const { body } = await call("/api/v1/parcels/merge", { method: "POST", body: { parcels } });
    await showLineage("合并", body);
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    const union = { type: "MultiPolygon", coordinates: S.merge.flatMap((m) => m.geometry.coordinates) };
    await showRefusal(map, err, union);
  }
}
