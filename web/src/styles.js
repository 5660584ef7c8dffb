// How parcels are coloured: one palette per tile attribute, each with its legend.
// An attribute a tile does not carry (not yet added by its domain, or null) falls to the
// palette's last entry, so the map renders whatever the server sends.

const NONE = "#d0d0d0";

export const THEMES = {
  colour: {
    title: "一码状态色",
    attribute: "colour",
    entries: [
      ["green", "绿: A/B 类, 无标签", "#3c9d4e"],
      ["yellow", "黄: C 类或一项两低两高标签", "#f0c419"],
      ["red", "红: D 类、多项标签或列入治理清单", "#d64541"],
      ["grey", "灰: 闲置 / 已出清", "#8e8e8e"],
    ],
    other: "未评价",
  },
  eval_class: {
    title: "亩均效益评价类别",
    attribute: "eval_class",
    entries: [
      ["A", "A 类 优先发展", "#1a9850"],
      ["B", "B 类 提升发展", "#91cf60"],
      ["C", "C 类 调整提升", "#fc8d59"],
      ["D", "D 类 整治淘汰", "#d73027"],
    ],
    other: "未评价",
  },
  governance_state: {
    title: "治理状态",
    attribute: "governance_state",
    entries: [
      ["待核实", "待核实", "#fdd49e"],
      ["已列入", "已列入", "#fc8d59"],
      ["整治中", "整治中", "#d7301f"],
      ["腾退中", "腾退中", "#990000"],
      ["已出清", "已出清", "#8e8e8e"],
      ["已盘活", "已盘活", "#2b8cbe"],
      ["已退出", "已退出", "#b3b3b3"],
    ],
    other: "不在治理清单",
  },
  availability: {
    title: "可供地",
    attribute: "availability",
    entries: [["可供地", "可供地 (可招商)", "#2c7fb8"]],
    other: "其他",
  },
};

/** A MapLibre colour expression for a theme: match on the attribute, else grey. */
export function fillColour(themeName) {
  const theme = THEMES[themeName];
  const pairs = theme.entries.flatMap(([value, , colour]) => [value, colour]);
  return ["match", ["coalesce", ["get", theme.attribute], ""], ...pairs, NONE];
}

export function legendHtml(themeName, present) {
  const theme = THEMES[themeName];
  const missing = present === false
    ? '<p class="hint">当前瓦片没有该属性 (相关功能尚未启用), 全部按"' + theme.other + '"显示。</p>' : "";
  const rows = [...theme.entries.map(([, label, colour]) => [label, colour]), [theme.other, NONE]];
  return `<h3>${theme.title}</h3>${missing}<ul class="legend">` +
    rows.map(([label, colour]) => `<li><i style="background:${colour}"></i>${label}</li>`).join("") +
    '<li><i class="outline county"></i>区县界</li><li><i class="outline town"></i>镇街界</li>' +
    '<li><i class="outline selected"></i>选中宗地</li><li><i class="outline problem"></i>被拒绝的位置</li></ul>';
}
