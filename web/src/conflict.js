// A 412 from If-Match: someone else saved the parcel first. Nothing is overwritten: the
// officer sees both versions — attributes side by side, both outlines on the map (theirs
// blue, theirs solid; mine orange, dashed) — and may reload the server's version.
import { call } from "./api.js";
import { setOverlay } from "./mapview.js";
import { label } from "./panel.js";
import { $, esc, feature, fmtTime } from "./util.js";

const ROWS = [
  ["name", "宗地名称"], ["land_use_vintage", "分类标准"], ["land_use_code", "用地分类代码"],
  ["land_right_type", "土地权利类型", "land_right_type"], ["right_start_date", "权利起始日期"],
  ["right_end_date", "权利终止日期"], ["status", "宗地状态", "status"], ["note", "备注"],
];

/** ``mine``: {version, attrs (what I changed), geometry (mine, if I edited it), base (what I started from)}. */
export async function showConflict(map, code, mine, onReload) {
  const { body: theirs, version } = await call(`/api/v1/parcels/${code}`);
  const t = theirs.properties;
  const rows = ROWS.map(([key, title, list]) => {
    const my = key in mine.attrs ? mine.attrs[key] : mine.base[key];
    const show = (v) => esc(list ? label(list, v) : v ?? "—");
    const differs = (my ?? null) !== (t[key] ?? null);
    return `<tr${differs ? ' class="differs"' : ""}><th>${title}</th><td>${show(my)}</td><td>${show(t[key])}</td></tr>`;
  }).join("");
  const geomRow = `<tr class="${mine.geometry ? "differs" : ""}"><th>边界</th><td>${mine.geometry ? "已修改 (橙色虚线)" : "未修改"}</td><td>蓝色实线</td></tr>`;
  const box = $("conflict");
  box.hidden = false;
  box.innerHTML = `<h2>编辑冲突</h2>
    <p class="warn">宗地 <code>${esc(code)}</code> 已被他人先保存: 服务器现为第 <strong id="conflict-server-version">${version}</strong> 版
    (${fmtTime(t.valid_from)}), 您编辑的是第 <strong id="conflict-my-version">${mine.version}</strong> 版。您的修改没有保存, 也没有覆盖他人的修改。</p>
    <table class="compare"><tr><th></th><th>您的版本</th><th>服务器版本</th></tr>${rows}${geomRow}</table>
    <div class="buttons"><button type="button" id="conflict-reload">加载服务器版本 (放弃我的修改)</button>
    <button type="button" id="conflict-keep">暂不处理</button></div>`;
  setOverlay(map, "theirs", [feature(theirs.geometry)]);
  setOverlay(map, "mine", mine.geometry ? [feature(mine.geometry)] : []);
  const close = () => {
    box.hidden = true;
    setOverlay(map, "theirs", []);
    setOverlay(map, "mine", []);
  };
  $("conflict-reload").addEventListener("click", () => { close(); onReload(); });
  $("conflict-keep").addEventListener("click", close);
}
