/**
 * Plugins: rules of the built-in shape from a file or a package, run by the real CLI; broken plugins give one line
 * naming the plugin (exit 2).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type JsonReport, lint } from "../../src/api.js";
import { caseRoot, cleanupFixtures, deployKeys, NOW } from "../helpers/fixtures.js";
import { cli as run } from "../helpers/cli.js";
import type { SarifLog } from "../helpers/sarif.js";

const temps: string[] = [];
afterAll(() => {
  cleanupFixtures();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A team rule: every host directory's CA file must be called ca.crt (their Ansible role expects it). */
const ACME_RULE = `{
  meta: {
    id: "ACME001",
    name: "ca-file-named-ca-crt",
    severity: "warning",
    description: "CA files are called ca.crt in our images",
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    docs: "https://wiki.example.com/certs#ACME001",
  },
  check(ctx, report) {
    for (const e of ctx.host.entries) {
      if (e.name.endsWith(".crt") && e.name !== "ca.crt") report({ file: e.name, message: e.name + " should be ca.crt" });
    }
  },
}`;

function repo(files: Record<string, string>, cases = ["good-ca-bundle"]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-plugin-"));
  temps.push(dir);
  for (const c of cases) cpSync(caseRoot(c), path.join(dir, "certs.d"), { recursive: true });
  deployKeys(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cli = (args: string[], cwd: string) => run(args, { cwd, prefix: ["--now", NOW] });

function renamedCa(dir: string): void {
  const host = path.join(dir, "certs.d", "registry.example.com:5000");
  cpSync(path.join(host, "ca.crt"), path.join(host, "corp-root.crt"));
  rmSync(path.join(host, "ca.crt"));
}

test("a plugin file's rules run beside the built-in ones, with their own docs and settings", () => {
  const dir = repo({
    "lint/acme-rules.mjs": `export default { rules: [${ACME_RULE}] };`,
    ".certsd-lint.json": '{"plugins": ["./lint/acme-rules.mjs"]}',
  });
  renamedCa(dir);
  const r = cli(["--format", "json", "certs.d"], dir);
  const report = JSON.parse(r.stdout) as JsonReport;
  expect(r.code).toBe(0);
  expect(report.findings.map((f) => [f.ruleId, f.name, f.severity, f.file, f.message, f.docsUrl])).toEqual([
    [
      "ACME001",
      "ca-file-named-ca-crt",
      "warning",
      "corp-root.crt",
      "corp-root.crt should be ca.crt",
      "https://wiki.example.com/certs#ACME001",
    ],
  ]);
  // Configured like a built-in rule, by id or by name; --rule wins.
  writeFileSync(
    path.join(dir, ".certsd-lint.json"),
    '{"plugins": ["./lint/acme-rules.mjs"], "rules": {"ca-file-named-ca-crt": "error"}}',
  );
  expect(cli(["certs.d"], dir).code).toBe(1);
  expect(cli(["--rule", "ACME001=off", "certs.d"], dir).code).toBe(0);
  const printed = JSON.parse(cli(["--print-config", "certs.d"], dir).stdout) as { pluginRules: string[] };
  expect(printed.pluginRules).toEqual(["ACME001"]);
  // And SARIF describes it from its metadata.
  const sarif = JSON.parse(cli(["--format", "sarif", "certs.d"], dir).stdout) as SarifLog;
  expect(sarif.runs[0]!.tool.driver.rules.find((x: { id: string }) => x.id === "ACME001")).toMatchObject({
    name: "ca-file-named-ca-crt",
    helpUri: "https://wiki.example.com/certs#ACME001",
  });
});

test("a plugin package, by name, as CommonJS exporting `rules`", async () => {
  const dir = repo({
    "node_modules/certsd-lint-plugin-acme/package.json":
      '{"name": "certsd-lint-plugin-acme", "version": "1.0.0", "main": "index.js"}',
    "node_modules/certsd-lint-plugin-acme/index.js": `exports.rules = [${ACME_RULE}];`,
    "package.json": JSON.stringify({ name: "infra", "certsd-lint": { plugins: ["certsd-lint-plugin-acme"] } }),
  });
  renamedCa(dir);
  const report = await lint({ paths: [path.join(dir, "certs.d")], now: new Date(NOW) });
  expect(report.findings.map((f) => f.ruleId)).toEqual(["ACME001"]);
});

test("a plugin rule that throws: a fatal finding naming the plugin, the other rules still run, exit 2", () => {
  const throwing = ACME_RULE.replace(
    "for (const e",
    "if (ctx.host.name.includes(':5000')) throw new TypeError('boom'); for (const e",
  );
  const dir = repo(
    {
      "throws.mjs": `export const rules = [${throwing}];`,
      ".certsd-lint.json": JSON.stringify({ plugins: ["./throws.mjs"] }),
    },
    ["key-mismatch"],
  );
  const r = cli(["--format", "json", "certs.d"], dir);
  const report = JSON.parse(r.stdout) as JsonReport;
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    "certsd-lint: 1 internal error (ACME001 on registry.example.com:5000), reported as fatal findings; everything else was checked\n",
  );
  expect(report.summary.fatal).toBe(1);
  expect(report.findings.map((f) => [f.ruleId, f.fatal ?? false])).toEqual([
    ["ACME001", true],
    ["CD301", false],
  ]);
  expect(report.findings[0]!.message).toContain("(Error: plugin ./throws.mjs: rule ACME001 threw: boom)");
  expect(cli(["certs.d"], dir).stdout).toMatch(/^ {2}fatal {3}\s*Internal error: ACME001 ca-file-named-ca-crt failed/m);
  // Neither an ignore nor a severity setting hides an internal error.
  writeFileSync(
    path.join(dir, ".certsd-lint.json"),
    JSON.stringify({
      plugins: ["./throws.mjs"],
      rules: { ACME001: "info" },
      ignore: [{ path: "**", rules: ["ACME001"], reason: "noisy" }],
    }),
  );
  const again = JSON.parse(cli(["--format", "json", "certs.d"], dir).stdout) as JsonReport;
  expect(again.findings.filter((f) => f.fatal).map((f) => [f.ruleId, f.severity])).toEqual([["ACME001", "error"]]);
});

describe("a broken plugin: exit 2, one line naming it", () => {
  test.each([
    ["./missing.mjs", {}, "plugin ./missing.mjs: DIR/missing.mjs does not exist"],
    [
      "certsd-lint-plugin-nope",
      {},
      "plugin certsd-lint-plugin-nope: cannot find the package from DIR (is it installed?)",
    ],
    [
      "./syntax.mjs",
      { "syntax.mjs": "export default {" },
      "plugin ./syntax.mjs: failed to load: Unexpected end of input",
    ],
    [
      "./empty.mjs",
      { "empty.mjs": "export const x = 1;" },
      "plugin ./empty.mjs: exports no rules (expected `export default { rules: [...] }` or `export const rules = [...]`)",
    ],
    [
      "./bad-id.mjs",
      { "bad-id.mjs": `export const rules = [${ACME_RULE.replace('"ACME001"', '"acme-1"')}];` },
      'plugin ./bad-id.mjs: rules[0].meta.id "acme-1" is not of the form ABC123',
    ],
    [
      "./cd.mjs",
      { "cd.mjs": `export const rules = [${ACME_RULE.replace('"ACME001"', '"CD999"')}];` },
      "plugin ./cd.mjs: rules[0].meta.id CD999: the CD prefix is certsd-lint's own",
    ],
    [
      "./clash.mjs",
      { "clash.mjs": `export const rules = [${ACME_RULE.replace('"ca-file-named-ca-crt"', '"host-port-443"')}];` },
      "plugin ./clash.mjs: rule ACME001 (host-port-443) clashes with a built-in rule",
    ],
    [
      "./runtime.mjs",
      { "runtime.mjs": `export const rules = [${ACME_RULE.replace('"containerd"]', '"cri-o"]')}];` },
      "plugin ./runtime.mjs: ACME001: meta.runtimes must list runtimes among",
    ],
    [
      "./top-level.mjs",
      { "top-level.mjs": "throw new Error('no config for acme');" },
      "plugin ./top-level.mjs: failed to load: no config for acme",
    ],
  ])("%s", (spec, files, message) => {
    const dir = repo({ ...files, ".certsd-lint.json": JSON.stringify({ plugins: [spec] }) });
    const r = cli(["certs.d"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toContain(`certsd-lint: ${message.replaceAll("DIR", dir)}`);
  });
});
