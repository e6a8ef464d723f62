/**
 * Property-based fuzzing (fast-check) of the whole pipeline, in process: for every generated tree, lint must
 * finish (a report, or one of the defined input errors), within a bounded time, with a report that validates, that
 * is byte-identical when run again, with no fatal finding, and with no private key bytes in any output format or
 * the baseline.
 *
 * CI runs a modest number of trees from a fixed seed. `npm run fuzz` runs a long campaign (FUZZ_RUNS, default
 * 10 000) from a fresh seed; a failure prints the seed and path, and FUZZ_SEED=… FUZZ_PATH=… replays it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { baselineOf } from "../../src/config/policy.js";
import { FORMAT_NAMES, makeFormatters } from "../../src/report/formatters.js";
import { runLint } from "../../src/runner.js";
import { RULES } from "../../rules/index.js";
import { NOW, REPO } from "../helpers/fixtures.js";
import { fixturePool, secretNeedles, treeArb, writeTree } from "./trees.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS
      ? Date.now() % 2 ** 31
      : 20261123;
const PATH = process.env.FUZZ_PATH;
/** A generous bound per tree (two lint runs and seven formats): far above the tens of milliseconds they take. */
const MAX_MS_PER_TREE = 15_000;

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));
const formatters = makeFormatters(() => RULES.map((r) => r.meta));
const needles = secretNeedles();
const DEFINED_INPUT_ERRORS = ["UsageError", "ScanError", "ConfigError"];

test("the secret needles catch a key printed in any of its encodings", () => {
  const pem = readFileSync(path.join(REPO, "fixtures", "keys", "client.pem"), "utf8");
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  for (const leak of [pem, der.toString("base64"), der.toString("hex"), der.toString("hex").toUpperCase()]) {
    expect(needles.some((n) => leak.includes(n) || leak.replace(/\s+/g, "").includes(n))).toBe(true);
  }
});

test(
  `${RUNS} generated trees (seed ${SEED}): no crash, no hang, valid and stable reports, no key bytes`,
  async () => {
    const pool = fixturePool();
    expect(pool.length).toBeGreaterThan(100);
    expect(needles.length).toBeGreaterThan(100);
    let n = 0;
    let slowest = 0;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(treeArb(pool), async (hosts) => {
        const root = path.join(tmp, `t${n++}`, "certs.d");
        writeTree(root, hosts);
        const started = Date.now();
        const run = () => runLint({ paths: [root], now: new Date(NOW), config: false, allowEmpty: true, cwd: tmp });
        let result: Awaited<ReturnType<typeof run>>;
        try {
          result = await run();
        } catch (e) {
          // Only the defined, one-line input errors may end a run.
          expect(DEFINED_INPUT_ERRORS).toContain((e as Error).constructor.name);
          expect((e as Error).message).not.toContain("\n");
          for (const needle of needles)
            if ((e as Error).message.includes(needle))
              throw new Error("an error message holds private key bytes", { cause: e });
          return;
        }
        const json = formatters.json(result.report);
        expect([validate(result.report), validate.errors]).toEqual([true, null]);
        expect(result.report.summary.fatal).toBe(0);
        expect(formatters.json((await run()).report)).toBe(json); // deterministic
        const outputs = [json, `${JSON.stringify(baselineOf(result.report.findings))}`];
        for (const f of FORMAT_NAMES)
          if (f !== "json") outputs.push(formatters[f](result.report, { color: f === "stylish", cwd: tmp, base: tmp }));
        const all = outputs.join("\n");
        const squeezed = all.replace(/\s+/g, "");
        for (const needle of needles) {
          if (all.includes(needle) || squeezed.includes(needle))
            throw new Error(`an output holds private key bytes (${needle.slice(0, 6)}…)`);
        }
        const ms = Date.now() - started;
        slowest = Math.max(slowest, ms);
        expect(ms).toBeLessThan(MAX_MS_PER_TREE);
        for (const f of result.report.findings) seen.set(f.ruleId, (seen.get(f.ruleId) ?? 0) + 1);
        rmSync(path.dirname(root), { recursive: true, force: true });
      }),
      { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}) },
    );
    const rules = [...seen].sort((a, b) => b[1] - a[1]);
    console.log(
      `fuzz: ${n} trees checked (seed ${SEED}), slowest ${slowest} ms; ${rules.length} rules fired: ${rules.map(([id, c]) => `${id}×${c}`).join(" ")}`,
    );
  },
  24 * 3600 * 1000,
);
