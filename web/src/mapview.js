// The map: a plain background, the district and town boundaries from the regions API,
// the night-light raster (toggle), parcels from our vector tiles, and overlay sources the
// editor draws into (selection, refusals, the two versions of a conflict, the merge set).
// Everything comes from this server: no outside tiles, no glyphs, no sprites.
import * as maplibregl from "maplibre-gl";
import { getJSON, token } from "./api.js";
import { THEMES, fillColour, legendHtml } from "./styles.js";

const ORIGIN = location.origin;
const PARCEL_TILES = `${ORIGIN}/tiles/parcels/{z}/{x}/{y}.mvt`;
const EMPTY = { type: "FeatureCollection", features: [] };
export const OVERLAYS = ["selected", "problem", "mine", "theirs", "merge", "lineage"];

// MapLibre's worker module sits beside the bundle (web/build-editor.mjs copies it).
maplibregl.setWorkerUrl(new URL("./maplibre-gl-worker.mjs", import.meta.url).href);

function style() {
  const overlays = Object.fromEntries(OVERLAYS.map((n) => [n, { type: "geojson", data: EMPTY }]));
  return {
    version: 8,
    sources: {
      counties: { type: "geojson", data: EMPTY },
      towns: { type: "geojson", data: EMPTY },
      nightlight: { type: "raster", tiles: [`${ORIGIN}/tiles/raster/nightlight/{z}/{x}/{y}.png`], tileSize: 256, maxzoom: 14 },
      parcels: { type: "vector", tiles: [PARCEL_TILES], minzoom: 8, maxzoom: 16},
      ...overlays,
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f3f1ec" } },
      { id: "county-fill", type: "fill", source: "counties", paint: { "fill-color": "#ffffff", "fill-opacity": 0.7 } },
      { id: "nightlight", type: "raster", source: "nightlight", layout: { visibility: "none" }, paint: { "raster-opacity": 0.75 } },
      { id: "parcels-fill", type: "fill", source: "parcels", "source-layer": "parcels",
        paint: { "fill-color": fillColour("colour"), "fill-opacity": 0.8 } },
      { id: "parcels-line", type: "line", source: "parcels", "source-layer": "parcels", minzoom: 12,
        paint: { "line-color": "#444", "line-width": 0.6 } },
      { id: "towns-line", type: "line", source: "towns", paint: { "line-color": "#777", "line-width": 1, "line-dasharray": [4, 3] } },
      { id: "county-line", type: "line", source: "counties", paint: { "line-color": "#1f3a5f", "line-width": 2.5 } },
      { id: "merge-fill", type: "fill", source: "merge", paint: { "fill-color": "#6a3d9a", "fill-opacity": 0.35 } },
      { id: "lineage-line", type: "line", source: "lineage", paint: { "line-color": "#6a3d9a", "line-width": 3 } },
      { id: "selected-line", type: "line", source: "selected", paint: { "line-color": "#00bcd4", "line-width": 3 } },
      { id: "theirs-line", type: "line", source: "theirs", paint: { "line-color": "#1f78b4", "line-width": 3 } },
      { id: "mine-line", type: "line", source: "mine", paint: { "line-color": "#ff7f00", "line-width": 3, "line-dasharray": [2, 1] } },
      { id: "problem-fill", type: "fill", source: "problem", filter: ["has", "code"],
        paint: { "fill-color": "#e31a1c", "fill-opacity": 0.35 } },
      { id: "problem-line", type: "line", source: "problem", filter: ["has", "code"], paint: { "line-color": "#e31a1c", "line-width": 3 } },
      { id: "problem-sent", type: "line", source: "problem", filter: ["==", ["get", "kind"], "sent"],
        paint: { "line-color": "#e31a1c", "line-width": 2, "line-dasharray": [2, 1] } },
      { id: "problem-point", type: "circle", source: "problem", filter: ["==", ["get", "kind"], "marker"],
        paint: { "circle-radius": 9, "circle-color": "#e31a1c", "circle-stroke-color": "#fff", "circle-stroke-width": 2 } },
    ],
  };
}

/** Add the bearer token to our own tile and API requests (never to anything else). */
function transformRequest(url) {
  const t = token();
  if (t && url.startsWith(`${ORIGIN}/`)) return { url, headers: { Authorization: `Bearer ${t}` } };
  return { url };
}

export function createMap() {
  const map = new maplibregl.Map({
    container: "map", style: style(), center: [120.6, 30.0], zoom: 10, maxZoom: 20,
    transformRequest, attributionControl: false, dragRotate: false, pitchWithRotate: false,
    locale: {
      "NavigationControl.ZoomIn": "放大", "NavigationControl.ZoomOut": "缩小",
      "NavigationControl.ResetBearing": "正北朝上", "ScaleControl.Meters": "米",
      "ScaleControl.Kilometers": "千米", "Map.Title": "宗地地图",
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  map.touchZoomRotate.disableRotation();
  return map;
}

/** The district and towns from the regions API; zoom to the district once. */
export async function loadRegions(map) {
  const [counties, towns] = await Promise.all(["counties", "towns"].map((l) => getJSON(`/api/v1/regions/${l}`)));
  map.getSource("counties").setData(counties);
  map.getSource("towns").setData(towns);
  const first = counties.features.find((f) => f.id === "330602") || counties.features[0];
  if (first) map.fitBounds(bboxOf(first.geometry), { padding: 20, duration: 0 });
}

export function bboxOf(geometry) {
  let [minx, miny, maxx, maxy] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === "number") {
      minx = Math.min(minx, c[0]); maxx = Math.max(maxx, c[0]);
      miny = Math.min(miny, c[1]); maxy = Math.max(maxy, c[1]);
    } else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return [[minx, miny], [maxx, maxy]];
}

/** What each overlay shows now (read by the browser tests through window.landgovEditor). */
export const overlays = {};

const ON_TOP = ["theirs-line", "mine-line", "problem-fill", "problem-line", "problem-sent", "problem-point"];

export function setOverlay(map, name, features) {
  overlays[name] = features || [];
  map.getSource(name).setData({ type: "FeatureCollection", features: overlays[name] });
  // above terra-draw's layers, which it adds after ours
  if (overlays[name].length) ON_TOP.forEach((id) => map.moveLayer(id));
}

let generation = 0;
/** Refetch the parcel tiles on screen after a save. Tiles carry an ETag and
 * Cache-Control: no-cache, so the browser revalidates and gets the new bytes; the query
 * string only makes MapLibre drop its own in-memory copies. */
export function refreshParcels(map) {
  generation += 1;
  map.getSource("parcels").setTiles([`${PARCEL_TILES}?v=${generation}`]);
}

/** Hide the tile feature being edited (terra-draw shows the editable copy). */
export function hideParcel(map, fid) {
  map.setFilter("parcels-fill", fid == null ? null : ["!=", ["id"], fid]);
  map.setFilter("parcels-line", fid == null ? null : ["!=", ["id"], fid]);
}

export async function installLayerControls(map) {
  const select = document.getElementById("style-by");
  const legend = document.getElementById("legend");
  // the attributes the parcel layer carries (TileJSON): another domain's may be absent yet
  const fields = new Set(Object.keys((await getJSON("/tiles/parcels/tilejson.json"))
    .vector_layers?.find((l) => l.id === "parcels")?.fields || {}));
  const render = () => {
    const theme = select.value;
    map.setPaintProperty("parcels-fill", "fill-color", fillColour(theme));
    legend.innerHTML = legendHtml(theme, fields.has(THEMES[theme].attribute));
  };
  select.addEventListener("change", render);
  document.getElementById("nightlight").addEventListener("change", (ev) => {
    map.setLayoutProperty("nightlight", "visibility", ev.target.checked ? "visible" : "none");
  });
  render();
}
