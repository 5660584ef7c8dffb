// Copies the front-end libraries from node_modules into dist/vendor, where the app
// serves them at /vendor/...: the intranet has no CDN, so every asset comes from our
// own server. Each entry is [package path inside node_modules, destination under vendor].
import { cpSync, mkdirSync, rmSync } from "node:fs";

const here = (p) => new URL(p, import.meta.url);
const vendor = here("./dist/vendor/");
rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });

const COPIES = [
  // the landing map and the Folium pages (/maps/) use Leaflet
  ["leaflet/dist/", "leaflet/"],
  // Swagger UI for /docs
  ...["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.html"].map(
    (f) => [`swagger-ui-dist/${f}`, `swagger-ui/${f}`],
  ),
  // the web editor's map and drawing (bundled by web/build-editor.mjs when present)
  ["maplibre-gl/dist/maplibre-gl.css", "maplibre-gl/maplibre-gl.css"],
  // charts on the reclamation dashboard
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
  // what folium's generated pages load (its CDN links are rewritten to these)
  ["jquery/dist/jquery.min.js", "jquery/jquery.min.js"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["leaflet.awesome-markers/dist/", "leaflet.awesome-markers/"],
  ["@fortawesome/fontawesome-free/css/", "fontawesome/css/"],
  ["@fortawesome/fontawesome-free/webfonts/", "fontawesome/webfonts/"],
];
for (const [from, to] of COPIES) {
  cpSync(here(`./node_modules/${from}`), new URL(to, vendor), { recursive: true });
}

// Application bundles (esbuild) — each script in web/ named build-*.mjs adds its own.
const { readdirSync } = await import("node:fs");
for (const f of readdirSync(here("./")).filter((n) => /^build-.+\.mjs$/.test(n)).sort()) {
  await import(here(`./${f}`));
}
console.log(`web/dist/vendor: ${COPIES.length} assets copied`);
