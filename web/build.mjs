// Copies the front-end libraries from node_modules into dist/vendor, where the app
// serves them: the intranet has no CDN, so every asset comes from our own server.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const vendor = new URL("./dist/vendor/", import.meta.url);
rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
cpSync(new URL("./node_modules/leaflet/dist/", import.meta.url), new URL("leaflet/", vendor), {
  recursive: true,
});
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.html"]) {
  cpSync(new URL(`./node_modules/swagger-ui-dist/${file}`, import.meta.url), new URL(`swagger-ui/${file}`, vendor));
}
console.log("web/dist/vendor: leaflet, swagger-ui");
