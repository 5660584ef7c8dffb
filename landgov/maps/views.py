"""Folium pages built from rows: frame, coloured layers with popups, Chinese legend.

No internet tiles (``tiles=None``): a plain background, the district (or town) outline
and its towns' boundaries are the frame. Every text that reaches a popup is
HTML-escaped here, since folium's popups insert their table with ``innerHTML``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import folium
from branca.element import Element

from landgov.maps import offline

offline.install()

PAGE_STYLE = """<style>
.folium-map.leaflet-container { background: #f4f3ef; }
.lg-title { position: fixed; top: 10px; left: 54px; z-index: 1000; background: #fff;
  padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  font: 14px/1.4 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.lg-title small { color: #666; }
.lg-legend { position: fixed; bottom: 24px; right: 10px; z-index: 1000; background: #fff;
  padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  font: 13px/1.5 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.lg-legend h2 { font-size: 14px; margin: 0 0 4px; }
.lg-legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
  vertical-align: -2px; border: 1px solid #555; }
.foliumpopup th { white-space: nowrap; }
</style>"""


@dataclass(frozen=True)
class Frame:
    """What a map is drawn on: the outline, its towns, and the bounds to fit."""

    outline: dict[str, Any] | None
    towns: list[dict[str, Any]]
    bounds: tuple[float, float, float, float]  # minx, miny, maxx, maxy (lon/lat)


@dataclass(frozen=True)
class Layer:
    """One coloured layer: a legend entry and its features."""

    key: str
    label: str
    colour: str
    features: list[dict[str, Any]]


def feature(fid: str, geometry: str, properties: dict[str, Any],
            html: dict[str, str] | None = None) -> dict[str, Any]:
    """A GeoJSON feature whose text properties are HTML-escaped (popups use innerHTML).

    ``html`` holds cells already composed from escaped parts (:func:`html_list`).
    """
    safe = {k: escape(str(v)) if v is not None else "—" for k, v in properties.items()}
    return {"type": "Feature", "id": fid, "geometry": json.loads(geometry),
            "properties": safe | (html or {})}


def html_list(items: Iterable[str]) -> str:
    """Escaped items, one per line, for a popup cell (the one place HTML is composed)."""
    return "<br>".join(escape(i) for i in items)


def base_map(frame: Frame, title: str, subtitle: str) -> folium.Map:
    """A map with no tile layer, the frame drawn, fitted to its bounds, with a title."""
    minx, miny, maxx, maxy = frame.bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13,
                   tiles=None, prefer_canvas=True, control_scale=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    root: Any = m.get_root()  # a branca Figure: header / html / script sections
    root.header.add_child(Element(PAGE_STYLE))
    root.html.add_child(Element(
        f'<div class="lg-title"><b>{escape(title)}</b><br><small>{escape(subtitle)}</small></div>'))
    if frame.towns:
        folium.GeoJson({"type": "FeatureCollection", "features": frame.towns}, name="镇街界线",
                       style_function=lambda _: {"color": "#8a8a8a", "weight": 1,
                                                 "dashArray": "4 4", "fill": False},
                       tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
                       ).add_to(m)
    if frame.outline is not None:
        folium.GeoJson(frame.outline, name="区界", control=False,
                       style_function=lambda _: {"color": "#1f3a5f", "weight": 3, "fill": False},
                       ).add_to(m)
    return m


def add_layers(m: folium.Map, layers: Sequence[Layer], fields: Sequence[tuple[str, str]],
               tooltip_field: str) -> None:
    """One GeoJson layer per colour (empty ones skipped), popups with ``fields``."""
    names = [f for f, _ in fields]
    aliases = [a for _, a in fields]
    for layer in layers:
        if not layer.features:
            continue
        style = {"color": "#444", "weight": 0.6, "fillColor": layer.colour, "fillOpacity": 0.75}
        folium.GeoJson(
            {"type": "FeatureCollection", "features": layer.features},
            name=f"{layer.label} ({len(layer.features)})",
            style_function=lambda _, s=style: s,
            popup=folium.GeoJsonPopup(fields=names, aliases=aliases, max_width=420),
            tooltip=folium.GeoJsonTooltip(fields=[tooltip_field], labels=False),
        ).add_to(m)


def add_points(m: folium.Map, layers: Sequence[Layer], fields: Sequence[tuple[str, str]]) -> None:
    """Point layers drawn as small circles (firm sites), one per colour, with popups."""
    for layer in layers:
        if not layer.features:
            continue
        style = {"color": "#222", "weight": 0.5, "fill": True, "fillColor": layer.colour,
                 "fillOpacity": 0.8}
        folium.GeoJson(
            {"type": "FeatureCollection", "features": layer.features},
            name=f"{layer.label} ({len(layer.features)})",
            marker=folium.CircleMarker(radius=4, fill=True),
            style_function=lambda _, s=style: s,
            popup=folium.GeoJsonPopup(fields=[f for f, _ in fields],
                                      aliases=[a for _, a in fields]),
        ).add_to(m)


def legend(m: folium.Map, title: str, layers: Sequence[Layer], note: str = "") -> None:
    """A fixed legend box in Chinese: one swatch per layer with its count."""
    rows = "".join(f'<div><i style="background:{escape(layer.colour)}"></i>'
                   f"{escape(layer.label)} ({len(layer.features)})</div>" for layer in layers)
    extra = f"<div><small>{escape(note)}</small></div>" if note else ""
    root: Any = m.get_root()
    root.html.add_child(Element(
        f'<div class="lg-legend"><h2>{escape(title)}</h2>{rows}{extra}</div>'))


def render(m: folium.Map) -> str:
    """The page's HTML; refuses (RuntimeError) if anything would load from outside."""
    folium.LayerControl(collapsed=False).add_to(m)
    html: str = m.get_root().render()
    outside = offline.external_urls(html)
    if outside:
        raise RuntimeError(f"map page references outside hosts: {outside[:3]}")
    return html
