// The parcel editor (web/src) bundled by esbuild into dist/editor/, served at / and /editor/.
// One ESM bundle (MapLibre GL + terra-draw + our modules) beside MapLibre's own worker
// module: MapLibre 6 starts its worker from `new URL("./maplibre-gl-worker.mjs",
// import.meta.url)`, i.e. next to the bundle, as a same-origin module worker, which the
// strict CSP (`worker-src 'self'`) allows without blob: or eval.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const here = (p) => new URL(p, import.meta.url);
const out = here("./dist/editor/");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [here("./src/main.js").pathname],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  outfile: new URL("editor.js", out).pathname,
  logLevel: "warning",
});
cpSync(here("./node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"), new URL("maplibre-gl-worker.mjs", out));
for (const f of ["index.html", "editor.css"]) cpSync(here(`./src/${f}`), new URL(f, out));
console.log("web/dist/editor: editor.js bundled");
