// Builds Tandem's front-end assets into var/static-build (served by Django's static files; never committed):
// GOV.UK Frontend's Sass compiled with Tandem's settings (no GDS Transport font: it is for GOV.UK only),
// its JavaScript, the images its CSS refers to, and HTMX.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "var", "static-build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });
const css = sass.compile(join(root, "src", "tandem", "frontend", "tandem.scss"), {
  importers: [new sass.NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "tandem.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "htmx", "htmx.min.js"));
console.log(`assets built in ${out}`);
