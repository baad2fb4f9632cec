// Bundles the upload app into web/uploadapp, which the federa binary embeds
// (web/uploadapp.go). Run through scripts/build-web, after `npm ci`.
//
// The output is a function of the sources and package-lock.json alone (no
// timestamps, no absolute paths, sorted listings), so rebuilding an
// unchanged tree changes no committed byte. Beside the bundle it writes
//   LICENSES.txt     the licenses of the npm packages bundled into app.js,
//                    grouped by identical license text;
//   .sources.sha256  the SHA-256 of every input, which a Go test compares
//                    with the tree to catch a source edited without a
//                    rebuild (a dot file, so go:embed leaves it out).

import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const repo = join(root, "..", "..");
const out = join(repo, "web", "uploadapp");

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/main.js"],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  // Browsers from 2022 on: async/await, optional chaining and BigInt (the
  // SDK's checksums use it) run natively, untranspiled.
  target: ["es2022"],
  minify: true,
  // The licenses go to LICENSES.txt in full instead of as comments.
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
  // The package's "browser" map names its entry "./dist-es/index" while its
  // "module" field says "./dist-es/index.js"; esbuild matches the map only
  // on the exact path, so it would bundle the Node.js entry (file, process
  // and SSO providers, node:fs). Point it at the browser entry directly.
  alias: { "@aws-sdk/credential-providers": "@aws-sdk/credential-providers/dist-es/index.browser.js" },
});

await copyFile(join(root, "index.html"), join(out, "index.html"));
await copyFile(join(root, "style.css"), join(out, "style.css"));
// Only modules that put bytes into app.js count: tree-shaken and
// browser-disabled ones ("(disabled):…") are not redistributed.
const bundled = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
  .filter(([path, info]) => info.bytesInOutput > 0 && !path.includes(":"))
  .map(([path]) => path);
await writeFile(join(out, "LICENSES.txt"), await licenses(bundled));
await writeFile(join(out, ".sources.sha256"), await sourceSums());

const size = (await readFile(join(out, "app.js"))).length;
console.log(`web/uploadapp/app.js: ${size} bytes from ${bundled.length} modules`);

/** The package directory (node_modules/<name> or node_modules/@scope/<name>) of a bundled input. */
function packageDir(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1] : null;
}

async function licenses(inputs) {
  const dirs = [...new Set(inputs.map(packageDir).filter(Boolean))];
  const byText = new Map();
  for (const dir of dirs) {
    const pkg = JSON.parse(await readFile(join(root, dir, "package.json"), "utf8"));
    const files = (await readdir(join(root, dir))).filter((f) => /^(licen[cs]e|notice|copyrightnotice)/i.test(f)).sort();
    let text = "";
    for (const f of files) text += (await readFile(join(root, dir, f), "utf8")).trim() + "\n\n";
    if (!text) text = `(The package ships no license file; its package.json says: ${pkg.license}.)\n\n`;
    const names = byText.get(text) || [];
    names.push(`${pkg.name}@${pkg.version} (${pkg.license})`);
    byText.set(text, names);
  }
  const groups = [...byText.entries()].map(([text, names]) => ({ text, names: names.sort() }));
  groups.sort((a, b) => a.names[0].localeCompare(b.names[0]));
  let s = "app.js bundles these npm packages. Their licenses follow, one text per group of packages sharing it.\n";
  for (const g of groups) {
    s += "\n" + "=".repeat(78) + "\n" + g.names.join("\n") + "\n" + "-".repeat(78) + "\n\n" + g.text;
  }
  return s;
}

/** SHA-256 lines (sha256sum format, paths from the repository root) of every build input. */
async function sourceSums() {
  const src = (await readdir(join(root, "src"))).filter((f) => f.endsWith(".js")).map((f) => join("src", f));
  const inputs = ["build.mjs", "index.html", "package-lock.json", "package.json", "style.css", ...src].sort();
  let s = "";
  for (const f of inputs) {
    const sum = createHash("sha256").update(await readFile(join(root, f))).digest("hex");
    s += `${sum}  ${relative(repo, join(root, f))}\n`;
  }
  return s;
}
