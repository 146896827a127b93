// Copies front-end packages into the static folder and compiles the brand-neutral stylesheet.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "src", "soclocal", "static_vendor", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = sass.compile(join(root, "frontend", "soclocal.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
writeFileSync(join(out, "soclocal.css"), css.css);

cpSync(join(nm, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "govuk/govuk-frontend.min.js"));
cpSync(join(nm, "govuk-frontend/dist/govuk/assets/images"), join(out, "govuk/assets/images"), { recursive: true });
cpSync(join(nm, "govuk-frontend/dist/govuk/assets/manifest.json"), join(out, "govuk/assets/manifest.json"));
cpSync(join(nm, "leaflet/dist"), join(out, "leaflet"), { recursive: true });
mkdirSync(join(out, "cytoscape"), { recursive: true });
cpSync(join(nm, "cytoscape/dist/cytoscape.min.js"), join(out, "cytoscape/cytoscape.min.js"));
console.log(`front-end files written to ${out}`);
