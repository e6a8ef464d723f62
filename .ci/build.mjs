#!/usr/bin/env node
/**
 * The build (`npm run build`, run by `prepare` and `pretest`): tsc compiles into a fresh directory beside dist/, then
 * each output file replaces its old copy by rename(2), which a reader sees whole or not at all. A plain `tsc` rewrites
 * dist/ in place (truncate, then write), so a CLI started meanwhile — by a second `npm test`, an editor's test runner,
 * `npm install` in another terminal — could import an empty module: "The requested module './CD411-….js' does not
 * provide an export named 'default'". Files whose bytes did not change are left alone; files the build no longer
 * makes (a renamed rule) are removed.
 *
 *   node .ci/build.mjs [--out DIR]     (DIR defaults to dist, relative to the repository)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outArg = args.indexOf("--out");
const out = path.resolve(REPO, outArg >= 0 ? args[outArg + 1] : "dist");
const fresh = path.join(path.dirname(out), `.${path.basename(out)}-build-${process.pid}`);

function files(dir, base = dir) {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return names.flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p, base) : [path.relative(base, p)];
  });
}

function same(a, b) {
  try {
    return statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
const r = spawnSync(process.execPath, [tsc, "-p", path.join(REPO, "tsconfig.build.json"), "--outDir", fresh], {
  stdio: "inherit",
});
if (r.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
try {
  const made = files(fresh);
  let replaced = 0;
  for (const rel of made) {
    const target = path.join(out, rel);
    if (same(path.join(fresh, rel), target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    // Same directory as the target, so the rename is atomic; then it replaces the old file in one step.
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, readFileSync(path.join(fresh, rel)));
    renameSync(tmp, target);
    replaced++;
  }
  const wanted = new Set(made);
  let removed = 0;
  for (const rel of files(out)) {
    if (wanted.has(rel) || /\.tmp-\d+$/.test(rel)) continue;
    unlinkSync(path.join(out, rel));
    removed++;
  }
  if (process.env.CERTSD_BUILD_VERBOSE)
    console.error(`build: ${replaced} replaced, ${removed} removed, ${made.length} in all`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
