// Draws every example machine as SVG: the stator command-line tool prints each machine as
// Graphviz DOT, and Graphviz compiled to WebAssembly (@viz-js/viz) lays it out. No Graphviz
// installation is needed, only Java and Node.
//
// Usage, from the repository root:
//   mvn -q -pl examples -am package -DskipTests
//   (cd docs/diagrams && npm ci && node render.mjs)
//
// Environment: JAVA names the java executable (default "java").

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { instance } from "@viz-js/viz";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const jar = join(root, "examples", "target", "stator-cli.jar");
const machines = join(root, "examples", "src", "main", "resources", "machines");
const java = process.env.JAVA ?? "java";

function fail(message) {
  console.error(`render.mjs: ${message}`);
  process.exit(1);
}

if (!existsSync(jar)) {
  fail(`${relative(root, jar)} is missing; build it first: mvn -q -pl examples -am package -DskipTests`);
}

/** Asks the stator tool for the machine's DOT text. */
function dotOf(file) {
  const result = spawnSync(java, ["-jar", jar, "render", relative(root, file), "--format", "dot"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.error) {
    fail(`cannot run ${java}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    fail(`stator render ${relative(root, file)} exited with ${result.status}`);
  }
  return result.stdout;
}

const files = readdirSync(machines)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => join(machines, name));
if (files.length === 0) {
  fail(`no *.json machines in ${relative(root, machines)}`);
}

const viz = await instance();
for (const file of files) {
  const rendered = viz.render(dotOf(file), { format: "svg" });
  for (const problem of rendered.errors) {
    console.error(`${relative(root, file)}: graphviz ${problem.level ?? "message"}: ${problem.message.trim()}`);
  }
  if (rendered.status !== "success") {
    fail(`graphviz could not lay out ${relative(root, file)}`);
  }
  const svg = join(here, `${basename(file, ".json")}.svg`);
  writeFileSync(svg, rendered.output);
  console.log(`wrote ${relative(root, svg)}`);
}
