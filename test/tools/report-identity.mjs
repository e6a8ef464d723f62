#!/usr/bin/env node
/**
 * Writes the JSON report of examples/certs.d and of every fixture root, under several runtime settings, into one
 * directory (one file per tree and setting), so that two builds can be compared byte for byte:
 *
 *   npm run build && node test/tools/report-identity.mjs /tmp/before
 *   ... change ...
 *   npm run build && node test/tools/report-identity.mjs /tmp/after && diff -r /tmp/before /tmp/after
 *
 * Uses the built package (dist/) through its public API, with a fixed clock and no configuration. Cases with
 * entries git cannot hold (empty directories, FIFOs) are laid out under a fixed temporary path so that paths in the
 * reports are the same on every run.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = process.argv[2];
if (!out) {
  process.stderr.write("usage: report-identity.mjs OUTPUT-DIRECTORY\n");
  process.exit(2);
}
const { lint, formatters, rules } = await import(path.join(REPO, "dist/src/api.js"));
const NOW = new Date("2026-11-23T00:00:00Z");
const SETTINGS = {
  default: {},
  "docker-20.10": { dockerVersion: "20.10" },
  "docker-28": { dockerVersion: "28" },
  "containerd-1.6": { containerdVersion: "1.6" },
  "containerd-2.0": { containerdVersion: "2.0" },
};

const cases = JSON.parse(readFileSync(path.join(REPO, "fixtures/cases/manifest.json"), "utf8")).cases;
const EPHEMERAL = "/tmp/certsd-report-identity";
rmSync(EPHEMERAL, { recursive: true, force: true });
const trees = [["examples", path.join(REPO, "examples/certs.d")]];
for (const c of cases) {
  const committed = path.join(REPO, "fixtures/cases", c.id);
  if (!c.ephemeral.length) {
    trees.push([c.id, committed]);
    continue;
  }
  const root = path.join(EPHEMERAL, c.id);
  mkdirSync(root, { recursive: true });
  try {
    cpSync(committed, root, { recursive: true, verbatimSymlinks: true });
  } catch {
    /* a case made only of ephemeral entries */
  }
  for (const e of c.ephemeral) {
    const target = path.join(root, e.host, e.path);
    mkdirSync(e.kind === "dir" ? target : path.dirname(target), { recursive: true });
    if (e.kind === "fifo") execFileSync("mkfifo", [target]);
  }
  trees.push([c.id, root]);
}

mkdirSync(out, { recursive: true });
let n = 0;
for (const [id, root] of trees) {
  for (const [name, s] of Object.entries(SETTINGS)) {
    const report = await lint({ paths: [root], now: NOW, config: false, cwd: REPO, ...s });
    writeFileSync(path.join(out, `${id}.${name}.json`), formatters.json(report));
    n++;
  }
}
const examples = await lint({ paths: [path.join(REPO, "examples/certs.d")], now: NOW, config: false, cwd: REPO });
for (const f of ["sarif", "junit", "checkstyle", "compact", "github"])
  writeFileSync(path.join(out, `examples.${f}.out`), formatters[f](examples, { cwd: REPO, base: REPO }));
writeFileSync(path.join(out, "examples.stylish.out"), formatters.stylish(examples, { cwd: REPO }));
writeFileSync(path.join(out, "rules.json"), `${JSON.stringify(rules, null, 2)}\n`);
process.stdout.write(
  `${n} JSON reports (${trees.length} trees × ${Object.keys(SETTINGS).length} settings) and 6 other formats of examples/certs.d in ${out}\n`,
);
