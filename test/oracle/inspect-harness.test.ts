/**
 * The differential harness over `certsd-lint inspect --format json` against Go (test/oracle/godecode -inspect, built
 * here with the local Go, Go 1.19 like the runtimes the oracle runs). Both sides print the same JSON (inspect's,
 * reduced to the fields Go can tell) for seeded inputs, and every input must agree. In CI: a fixed seed and
 * INSPECT_CAMPAIGN (default 5000) inputs; `npm run campaign` runs 50 000 (INSPECT_CAMPAIGN=N, INSPECT_SEED=S to vary;
 * INSPECT_REPORT=FILE writes the disagreements).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type InspectReport, inspectFiles } from "../../src/inspect/inspect.js";
import { goProfile } from "../../src/material/go-profile.js";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";
import { agrees, harnessInputs, projectInspect, runGoInspect } from "./inspect-harness.js";
import { buildGodecode, goVersion } from "./godecode-build.js";

const work = mkdtempSync(path.join(os.tmpdir(), "certsd-inspect-harness-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bin = buildGodecode(work);
if (!bin)
  console.log(
    "inspect harness: Go is not installed here (apt-get install golang-go; .ci/run gets it with the oracle); skipped",
  );

const TOTAL = Number(process.env.INSPECT_CAMPAIGN ?? 5000);
const SEED = Number(process.env.INSPECT_SEED ?? 11);

(bin ? describe : describe.skip)(`inspect --format json agrees with Go (${goVersion() ?? "no Go"})`, () => {
  const version = goVersion()?.replace(/^go/, "") ?? "1.19";
  const profile = goProfile(version);

  test(`${TOTAL} seeded inputs (seed ${SEED})`, () => {
    const inputs = harnessInputs(REPO, TOTAL, SEED);
    const go = runGoInspect(bin!, inputs);
    expect(go).toHaveLength(inputs.length);
    const disagreements: Array<{ id: string; ours: unknown; go: unknown }> = [];
    inputs.forEach((h, i) => {
      let ours: Record<string, unknown>;
      try {
        const report = inspectFiles(
          h.files.map((data, n) => ({ path: `file${n}`, data })),
          profile,
          h.key !== undefined ? { path: "key", data: h.key } : undefined,
        );
        ours = projectInspect(h.id, report);
      } catch (e) {
        ours = { id: h.id, thrown: String(e) };
      }
      if (!agrees(ours, go[i]!)) disagreements.push({ id: h.id, ours, go: go[i] });
    });
    console.log(
      `inspect harness: ${inputs.length - disagreements.length}/${inputs.length} agree with ${goVersion()} ` +
        `(seed ${SEED}, profile ${profile.toolchain})`,
    );
    // What the inputs exercised, as Go answered.
    const n = { blocks: 0, certOk: 0, certErr: 0, keyOk: 0, keyErr: 0, pairOk: 0, pairErr: 0, added: 0 };
    const errors = new Set<string>();
    const count = (error: string | null, ok: keyof typeof n, bad: keyof typeof n) => {
      if (error === null) n[ok]++;
      else {
        n[bad]++;
        errors.add(error);
      }
    };
    type GoFile = {
      blocks: unknown[];
      certificates: Array<{ error: string | null }>;
      keys: Array<{ error: string | null }>;
      pool: { added: unknown[] };
    };
    for (const a of go as Array<{ files: GoFile[]; pairs?: Array<{ error: string | null }> }>) {
      for (const f of a.files) {
        n.blocks += f.blocks.length;
        n.added += f.pool.added.length;
        for (const c of f.certificates) count(c.error, "certOk", "certErr");
        for (const k of f.keys) count(k.error, "keyOk", "keyErr");
      }
      for (const p of a.pairs ?? []) count(p.error, "pairOk", "pairErr");
    }
    console.log(`inspect harness: Go saw ${JSON.stringify(n)}, ${errors.size} distinct error texts`);
    if (process.env.INSPECT_REPORT) writeFileSync(process.env.INSPECT_REPORT, JSON.stringify(disagreements, null, 1));
    expect(disagreements.slice(0, 3)).toEqual([]);
  }, 3_600_000);

  test("the CLI itself (inspect --format json --key) prints what Go prints", () => {
    const dir = path.join(REPO, "fixtures", "cases", "good", "registry.example.com:5000");
    const files = [path.join(dir, "client.cert"), path.join(dir, "ca.crt")];
    const key = path.join(dir, "client.key");
    const r = cli(["inspect", "--format", "json", "--go", version, "--key", key, ...files]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const g = spawnSync(bin!, ["-inspect", "-key", key, ...files], { encoding: "utf8" });
    expect(g.status).toBe(0);
    const go = (JSON.parse(g.stdout) as Array<Record<string, unknown>>)[0]!;
    const ours = projectInspect(go.id as string, JSON.parse(r.stdout) as InspectReport);
    expect(ours).toEqual(JSON.parse(JSON.stringify(go)));
    expect(readFileSync(key).length).toBeGreaterThan(0);
  });
});
