/**
 * The package as a library, from outside: `import { lint, formatters, rules } from "certsd-lint"` resolves through
 * package.json "exports" to the built modules, and TypeScript type-checks a consumer against the shipped
 * declarations (dist/src/api.d.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RULES } from "../../rules/index.js";
import { EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-api-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(path.join(tmp, "node_modules"));
  symlinkSync(REPO, path.join(tmp, "node_modules", "certsd-lint"));
  writeFileSync(path.join(tmp, "package.json"), '{"name": "consumer", "type": "module"}');
});

const CONSUMER = `
import { lint, formatters, rules, defineRule, CertsdLintError, type JsonReport, type Rule } from "certsd-lint";

const rule: Rule = defineRule({
  meta: { id: "ACME001", name: "no-op", severity: "info", description: "nothing", runtimes: ["docker"] },
  check() {},
});
const report: JsonReport = await lint({ paths: [${JSON.stringify(EXAMPLES)}], now: new Date(${JSON.stringify(NOW)}), config: false });
const errors: number = report.summary.errors;
const sarif: string = formatters.sarif(report);
console.log(JSON.stringify({ errors, rules: rules.length, sarif: JSON.parse(sarif).version, rule: rule.meta.id, isError: new CertsdLintError("x") instanceof Error }));
`;

/** tsc as a strict ESM consumer of the package runs it. */
const tscArgs = (file: string) => [
  path.join(REPO, "node_modules", "typescript", "bin", "tsc"),
  "--noEmit",
  "--strict",
  "--module",
  "nodenext",
  "--target",
  "es2022",
  "--types",
  "node",
  "--typeRoots",
  path.join(REPO, "node_modules", "@types"),
  file,
];

test("a TypeScript consumer type-checks against the declarations", () => {
  writeFileSync(path.join(tmp, "consumer.ts"), CONSUMER);
  const r = spawnSync(process.execPath, tscArgs("consumer.ts"), {
    cwd: tmp,
    encoding: "utf8",
  });
  expect([r.status, r.stdout]).toEqual([0, ""]);
  // And a wrong use is caught.
  writeFileSync(
    path.join(tmp, "wrong.ts"),
    `import { lint } from "certsd-lint";\nawait lint({ path: "/etc/docker/certs.d" });\n`,
  );
  const w = spawnSync(process.execPath, tscArgs("wrong.ts"), {
    cwd: tmp,
    encoding: "utf8",
  });
  expect(w.status).not.toBe(0);
  expect(w.stdout).toContain("'path' does not exist in type 'LintOptions'");
});

test("the plain JavaScript import runs and returns the report", () => {
  writeFileSync(
    path.join(tmp, "consumer.mjs"),
    CONSUMER.replace(", type JsonReport, type Rule", "").replace(/: (Rule|JsonReport|number|string) =/g, " ="),
  );
  const out: unknown = JSON.parse(execFileSync(process.execPath, ["consumer.mjs"], { cwd: tmp, encoding: "utf8" }));
  expect(out).toEqual({ errors: 12, rules: RULES.length, sarif: "2.1.0", rule: "ACME001", isError: true });
});
