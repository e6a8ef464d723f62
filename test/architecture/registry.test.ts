/**
 * The runtime registry is the one list of runtimes: the schemas' enums, the CLI's choices and the rules' defaults
 * all agree with it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { RULES } from "../../rules/index.js";
import { family, RUNTIME_IDS, RUNTIMES, runtimesForRoot } from "../../src/runtimes/registry.js";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";

/** Every enum in a JSON document that names a runtime. */
function runtimeEnums(node: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(node)) node.forEach((n) => runtimeEnums(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "enum" && Array.isArray(v) && v.includes("docker-containerd")) out.push(v);
      else runtimeEnums(v, out);
    }
  }
  return out;
}

test.each(["config.v1.schema.json", "report.v1.schema.json", "rules.v1.schema.json", "where.v1.schema.json"])(
  "%s lists exactly the registry's runtimes, in its order",
  (file) => {
    const enums = runtimeEnums(JSON.parse(readFileSync(path.join(REPO, "schema", file), "utf8")));
    expect(enums.length).toBeGreaterThan(0);
    for (const e of enums) expect(e).toEqual(RUNTIME_IDS);
  },
);

test("every row names its id, a family and at least one root", () => {
  for (const id of RUNTIME_IDS) {
    expect(RUNTIMES[id].id).toBe(id);
    expect(RUNTIMES[id].roots.length).toBeGreaterThan(0);
  }
  expect([...family("classic"), ...family("containerd")].sort()).toEqual([...RUNTIME_IDS].sort());
  // A root elsewhere (a copy in a repository) is read by every runtime.
  expect(runtimesForRoot("/srv/config/certs.d")).toEqual(RUNTIME_IDS);
});

test("a rule that names no runtimes applies to all of them, in registry order", () => {
  const all = RULES.filter((r) => r.meta.runtimes.length === RUNTIME_IDS.length);
  expect(all.length).toBeGreaterThan(50);
  for (const r of RULES) expect(r.meta.runtimes).toEqual(RUNTIME_IDS.filter((id) => r.meta.runtimes.includes(id)));
});

test("--help and a bad --runtime name the registry's runtimes", () => {
  expect(cli(["--help"]).stdout.replace(/\s+/g, " ")).toContain(RUNTIME_IDS.join(", "));
  expect(cli(["--runtime", "rkt", "examples/certs.d"]).stderr).toBe(
    `certsd-lint: --runtime: unknown runtime rkt; choose from ${RUNTIME_IDS.join(", ")}\n`,
  );
});
