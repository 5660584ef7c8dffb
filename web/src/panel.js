// The attribute panel: a parcel's attributes, the form with the domain's code lists
// (from GET /api/v1/parcels/vocabulary; the server checks the same lists), and its
// history — versions, split/merge lineage, who changed it when.
import { getJSON } from "./api.js";
import { $, esc, fmtTime } from "./util.js";

let vocab = null;
export async function loadVocabulary() {
  vocab = await getJSON("/api/v1/parcels/vocabulary");
  return vocab;
}

export const label = (list, code) => (vocab?.[list] || []).find((i) => i.code === code)?.label || code || "—";
const COLOURS = { green: "绿", yellow: "黄", red: "红", grey: "灰" };
const ACTIONS = { insert: "新建", update: "修改", delete: "注销", create: "新建", retire: "注销" };

function options(items, selected, blank) {
  return (blank ? '<option value="">—</option>' : "") + items.map((i) =>
    `<option value="${esc(i.code)}"${i.code === selected ? " selected" : ""}>${esc(i.code)} ${esc(i.label)}</option>`).join("");
}

/** The attribute form (for an existing parcel, or defaults for a new one). */
export function formHtml(p = {}) {
  const vintage = p.land_use_vintage || "gbt21010_2017";
  return `<form id="attr-form" autocomplete="off">
    <label>宗地名称 <input name="name" value="${esc(p.name)}" maxlength="120"></label>
    <label>分类标准 <select name="land_use_vintage">${options(vocab.land_use_vintage, vintage)}</select></label>
    <label>用地分类 <select name="land_use_code">${options(vocab.land_use[vintage] || [], p.land_use_code || "0601")}</select></label>
    <label>土地权利类型 <select name="land_right_type">${options(vocab.land_right_type, p.land_right_type, true)}</select></label>
    <label>权利起始日期 <input type="date" name="right_start_date" value="${esc(p.right_start_date)}"></label>
    <label>权利终止日期 <input type="date" name="right_end_date" value="${esc(p.right_end_date)}"></label>
    <label>宗地状态 <select name="status">${options(vocab.status, p.status || "supplied")}</select></label>
    <label>备注 <textarea name="note" rows="2" maxlength="2000">${esc(p.note)}</textarea></label>
  </form>`;
}

export function wireForm() {
  const form = $("attr-form");
  form.land_use_vintage.addEventListener("change", () => {
    form.land_use_code.innerHTML = options(vocab.land_use[form.land_use_vintage.value] || [], null);
  });
  form.addEventListener("input", (ev) => ev.target.classList.remove("invalid"));
}

/** The form's values ({} of changed fields against ``base`` when given). */
export function formValues(base) {
  const form = $("attr-form");
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    const value = el.value === "" ? null : el.value;
    if (!base || (base[el.name] ?? null) !== value) out[el.name] = value;
  }
  return out;
}

/** Render a parcel: summary, form (when the officer may write), history below. */
export function showParcel(feature, version, canWrite) {
  const p = feature.properties;
  const firms = p.enterprises.map((e) => `${esc(e.name)} <small>${esc(e.uscc)} · ${(e.share * 100).toFixed(0)}%</small>`).join("<br>") || "—";
  const box = $("parcel");
  box.hidden = false;
  box.innerHTML = `<h2>宗地属性 <small>第 <span id="parcel-version">${version}</span> 版</small></h2>
    <table class="attrs">
      <tr><th>不动产单元代码</th><td><code id="parcel-code">${esc(p.unit_code)}</code></td></tr>
      <tr><th>面积</th><td>${Number(p.area_mu).toFixed(2)} 亩</td></tr>
      <tr><th>镇街 / 平台</th><td>${esc(p.town_name || "—")} / ${esc(p.platforms.join("、") || "—")}</td></tr>
      <tr><th>评价类别</th><td>${esc(p.evaluation_class || "未评价")}${p.two_low_two_high ? " · 两低两高" : ""} · 一码状态色 ${esc(COLOURS[p.colour] || "—")}</td></tr>
      <tr><th>用地企业</th><td>${firms}</td></tr>
      <tr><th>本版生效</th><td>${fmtTime(p.valid_from)}</td></tr>
    </table>
    ${canWrite ? formHtml(p) + '<div class="buttons"><button type="button" id="attr-save">保存属性</button> <button type="button" id="attr-reset">还原</button></div>' : ""}
    <div id="history"><p class="hint">正在加载历史…</p></div>`;
  if (canWrite) wireForm();
}

/** The parcel's versions, lineage and audit events. ``onCode`` opens a code clicked in the lineage. */
export async function showHistory(code, onCode) {
  const h = await getJSON(`/api/v1/parcels/${code}/history`);
  const kinds = (k) => label("lineage_kind", k);
  const versions = h.versions.map((v) => `<tr><td>${v.version}</td><td>${fmtTime(v.valid_from)}</td>
    <td>${Number(v.area_mu).toFixed(2)}</td><td>${esc(label("status", v.status))}</td><td>${esc(v.land_use_code)}</td></tr>`).join("");
  const lineage = h.lineage.map((l) => `<li>${kinds(l.kind)}: <a href="#" data-code="${esc(l.parent_code)}">${esc(l.parent_code)}</a>
    → <a href="#" data-code="${esc(l.child_code)}">${esc(l.child_code)}</a> <small>${fmtTime(l.recorded_at)}</small></li>`).join("");
  const events = h.events.map((e) => `<li>${fmtTime(e.occurred_at)} ${esc(e.actor)} ${esc(ACTIONS[e.action] || e.action)}
    ${e.version_before ? `第 ${e.version_before} 版` : ""}${e.version_after ? ` → 第 ${e.version_after} 版` : ""}</li>`).join("");
  const box = $("history");
  if (!box) return h;
  box.innerHTML = `<h3>历史版本</h3><table class="history"><tr><th>版本</th><th>生效</th><th>亩</th><th>状态</th><th>地类</th></tr>${versions}</table>
    <h3>分割合并谱系</h3>${lineage ? `<ul id="lineage">${lineage}</ul>` : '<p class="hint">无</p>'}
    ${h.retired_at ? `<p class="warn">已于 ${fmtTime(h.retired_at)} 注销</p>` : ""}
    <h3>操作记录</h3><ul class="events">${events || "<li>—</li>"}</ul>`;
  box.querySelectorAll("a[data-code]").forEach((a) => a.addEventListener("click", (ev) => {
    ev.preventDefault();
    onCode(a.dataset.code);
  }));
  return h;
}
