/**
 * The one-way flow, checked on the sources: scan → material → runtimes → host context → engine (pipeline and rule API) → facts →
 * rules → config → report → explain → inspect → runner/API → CLI. A module may import from its own layer or a lower one,
 * never from a higher one, and no two folders import each other. Type-only imports count: they are dependencies too.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { REPO } from "../helpers/fixtures.js";

/** Lowest first. A file is in the first layer whose prefix matches its path (relative to the repository). */
const LAYERS: ReadonlyArray<[string, string[]]> = [
  ["shared helpers", ["src/suggest.ts", "src/version.ts", "src/rule-docs.ts"]],
  ["scan", ["src/scan/"]],
  ["material", ["src/material/"]],
  ["runtimes", ["src/runtimes/"]],
  ["host context", ["src/host/"]],
  ["engine", ["src/engine/"]],
  ["facts", ["src/facts/"]],
  ["rules", ["rules/"]],
  ["config", ["src/config/"]],
  ["report", ["src/report/"]],
  ["explain", ["src/explain/"]],
  ["inspect", ["src/inspect/"]],
  ["runner and API", ["src/runner.ts", "src/api.ts"]],
  ["cli", ["src/cli/"]],
];

function layerOf(rel: string): number {
  const i = LAYERS.findIndex(([, prefixes]) => prefixes.some((p) => rel === p || rel.startsWith(p)));
  if (i < 0) throw new Error(`${rel} belongs to no layer: add it to LAYERS`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(REPO, rel)).isDirectory()) return sources(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

/** Every relative import of a module (static, dynamic and type-only), as repository-relative .ts paths. */
function importsOf(rel: string): string[] {
  const text = readFileSync(path.join(REPO, rel), "utf8");
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
  return specs
    .filter((s) => s.startsWith("."))
    .map((s) => path.normalize(path.join(path.dirname(rel), s)).replace(/\.js$/, ".ts"));
}

const files = [...sources("src"), ...sources("rules")];
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

test("every source file is in a layer, and every import resolves to one", () => {
  for (const f of files) expect(() => layerOf(f)).not.toThrow();
  for (const { to } of edges) expect(files).toContain(to);
  expect(edges.length).toBeGreaterThan(300);
});

test("no import runs from a lower layer to a higher one", () => {
  const backEdges = edges
    .filter(({ from, to }) => layerOf(to) > layerOf(from))
    .map(({ from, to }) => `${from} (${LAYERS[layerOf(from)]![0]}) imports ${to} (${LAYERS[layerOf(to)]![0]})`);
  expect(backEdges).toEqual([]);
});

test("no two folders import each other", () => {
  // Modules directly in src/ (shared helpers at the bottom, runner and API at the top) each count as their own.
  const folder = (f: string) => (path.dirname(f) === "src" ? f : path.dirname(f));
  const pairs = new Set(
    edges
      .filter(({ from, to }) => folder(from) !== folder(to))
      .map(({ from, to }) => `${folder(from)} -> ${folder(to)}`),
  );
  const cycles = [...pairs].filter((p) => {
    const [a, b] = p.split(" -> ");
    return pairs.has(`${b} -> ${a}`);
  });
  expect(cycles).toEqual([]);
});

test("rules never import each other: what they share is a fact (src/facts/)", () => {
  const between = edges.filter(({ from, to }) => from.startsWith("rules/CD") && to.startsWith("rules/"));
  expect(between).toEqual([]);
});
