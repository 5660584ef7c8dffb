// Copies the front-end libraries from node_modules into dist/vendor, where the app
// serves them: the intranet has no CDN, so every asset comes from our own server.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const vendor = new URL("./dist/vendor/", import.meta.url);
rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
cpSync(new URL("./node_modules/leaflet/dist/", import.meta.url), new URL("leaflet/", vendor), {
  recursive: true,
});
console.log("web/dist/vendor: leaflet");
