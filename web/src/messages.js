// The message panel and how a server refusal is shown: its Chinese detail and each
// field error in the panel, and on the map the offending place — the parcels it overlaps,
// the line that did not cut, or a marker at the edited feature.
import { getJSON } from "./api.js";
import { setOverlay } from "./mapview.js";
import { $, contains, esc, feature, vertices } from "./util.js";

const FIELDS = {
  geometry: "几何", line: "分割线", parcels: "宗地", land_use_code: "用地分类代码",
  land_use_vintage: "分类标准", land_right_type: "土地权利类型", status: "宗地状态",
  right_end_date: "权利终止日期", right_start_date: "权利起始日期", name: "宗地名称", note: "备注",
  "If-Match": "版本 (If-Match)", q: "检索词",
};
const REASONS = [
  [/^overlaps (\S+)$/, (m) => `与宗地 ${m[1]} 重叠`],
  [/^outside the district$/, () => "超出区县边界"],
  [/^outside every cadastral sub-district$/, () => "不在任何地籍子区内"],
  [/^does not cut the parcel$/, () => "分割线没有完整穿过宗地"],
  [/^not a line$/, () => "不是线"],
  [/^sliver$/, () => "分割后有过小的碎片"],
  [/^not adjacent$/, () => "宗地不相邻"],
  [/^duplicate$/, () => "重复"],
];
const CODE = /\b\d{12}[GJZ][A-Z]\d{5}[A-Z]\d{8}\b/g;

export function zhReason(reason) {
  for (const [re, f] of REASONS) {
    const m = String(reason).match(re);
    if (m) return f(m);
  }
  return reason;
}

/** Add a message at the top of the panel (kind: info / ok / warn / error). */
export function say(kind, html) {
  const box = $("messages");
  const div = document.createElement("div");
  div.className = `msg ${kind}`;
  div.innerHTML = html;
  box.prepend(div);
  while (box.children.length > 6) box.lastChild.remove();
  return div;
}

export function clearProblem(map) {
  setOverlay(map, "problem", []);
}

/** Show a refusal (a Problem) in the panel and on the map. ``where`` is the geometry the
 * officer sent (polygon or line), marked when the problem names no other place. */
export async function showRefusal(map, problem, where) {
  const errors = problem.errors || [];
  const list = errors.map((e) => `<li>${esc(FIELDS[e.field] || e.field)}: ${esc(zhReason(e.reason))}</li>`).join("");
  say("error", `<strong>服务器拒绝了本次修改</strong> (${problem.status}): ${esc(problem.message)}` +
    (list ? `<ul>${list}</ul>` : ""));
  errors.forEach((e) => {
    const input = document.querySelector(`#parcel [name="${e.field}"]`);
    if (input) input.classList.add("invalid");
  });
  const codes = [...new Set(String(problem.message).match(CODE) || [])];
  const shown = [];
  for (const code of codes.slice(0, 10)) {
    try {
      shown.push(feature((await getJSON(`/api/v1/parcels/${code}`)).geometry, { code }));
    } catch { /* a retired or unknown code: nothing to draw */ }
  }
  if (where) {
    shown.push(feature(where, { kind: "sent" }));
    shown.push(feature({ type: "Point", coordinates: markerAt(where, shown.filter((f) => f.properties.code)) }, { kind: "marker" }));
  }
  setOverlay(map, "problem", shown);
}

const centre = (pts) => pts.reduce(([a, b], [c, d]) => [a + c / pts.length, b + d / pts.length], [0, 0]);

/** Where to put the marker: the sent vertices inside a parcel the problem names, else
 * that parcel's centre, else the centre of what was sent. */
function markerAt(where, named) {
  const inside = vertices(where).filter((p) => named.some((f) => contains(f.geometry, p)));
  if (inside.length) return centre(inside);
  if (named.length) return centre(vertices(named[0].geometry));
  return centre(vertices(where));
}
