/**
 * Configuration, ignores, baselines and the gate, through the real CLI (exit codes, one-line errors) and the API
 * (the report object), on copies of real fixture trees.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { type Baseline, CertsdLintError, type JsonReport, lint } from "../../src/api.js";
import { caseRoot, cleanupFixtures, deployKeys, NOW, REPO } from "../helpers/fixtures.js";
import { cli as run } from "../helpers/cli.js";

const temps: string[] = [];
afterAll(() => {
  cleanupFixtures();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh "repository" holding copies of fixture cases' host directories under certs.d/, plus the files given. */
function repo(cases: string[], files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-config-"));
  temps.push(dir);
  mkdirSync(path.join(dir, "certs.d"));
  for (const c of cases) {
    const root = caseRoot(c);
    for (const host of readdirSync(root))
      cpSync(path.join(root, host), path.join(dir, "certs.d", host), { recursive: true, verbatimSymlinks: true });
  }
  deployKeys(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cli = (args: string[], cwd: string) => run(args, { cwd, prefix: ["--now", NOW] });

const json = (dir: string, extra: string[] = [], cwd = dir) => {
  const r = cli(["--format", "json", ...extra, path.join(dir, "certs.d")], cwd);
  // Every caller reads the report: a run that printed none fails here, with what it said instead.
  if (!r.stdout) throw new Error(`no JSON report (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as JsonReport };
};
const ids = (report: { findings: Array<{ ruleId: string }> }) => report.findings.map((f) => f.ruleId);
const now = new Date(NOW);

describe("discovery", () => {
  test(".certsd-lint.json beside the tree applies, and the report names it", () => {
    const dir = repo(["host-443"], { ".certsd-lint.json": JSON.stringify({ rules: { CD105: "off" } }) });
    const { code, report } = json(dir, [], os.tmpdir());
    expect([code, ids(report), report.options.config]).toEqual([0, [], path.join(dir, ".certsd-lint.json")]);
  });

  test(".certsd-lint.yaml, rules by name", () => {
    const dir = repo(["host-443"], { ".certsd-lint.yaml": "rules:\n  host-port-443: error\n" });
    const { code, report } = json(dir, [], os.tmpdir());
    expect([code, report.findings.map((f) => [f.ruleId, f.severity])]).toEqual([1, [["CD105", "error"]]]);
  });

  test('a "certsd-lint" key in package.json', () => {
    const dir = repo(["host-443"], {
      "package.json": JSON.stringify({ name: "infra", "certsd-lint": { rules: { CD105: "info" } } }),
    });
    const { report } = json(dir, [], os.tmpdir());
    expect([report.findings[0]!.severity, report.options.config]).toEqual(["info", path.join(dir, "package.json")]);
  });

  test("found from the linted path upward before the working directory", () => {
    const near = repo(["host-443"], { ".certsd-lint.json": '{"rules": {"CD105": "off"}}' });
    const cwd = repo([], { ".certsd-lint.json": '{"rules": {"CD105": "error"}}' });
    expect(ids(json(near, [], cwd).report)).toEqual([]);
  });

  test("then in the working directory", () => {
    const tree = repo(["host-443"]);
    const cwd = repo([], { ".certsd-lint.json": '{"rules": {"CD105": "off"}}' });
    const { report } = json(tree, [], cwd);
    expect([ids(report), report.options.config]).toEqual([[], path.join(cwd, ".certsd-lint.json")]);
  });

  test("--config names a file; --no-config uses none", () => {
    const dir = repo(["host-443"], {
      ".certsd-lint.json": '{"rules": {"CD105": "off"}}',
      "ci/strict.yaml": "rules: {CD105: error}\n",
    });
    expect(json(dir, ["--config", path.join(dir, "ci/strict.yaml")]).report.findings[0]!.severity).toBe("error");
    const none = json(dir, ["--no-config"]);
    expect([none.report.findings[0]!.severity, none.report.options.config]).toEqual(["warning", null]);
  });

  test("--print-config shows the file, the rules and the settings in effect, and lints nothing", () => {
    const dir = repo(["host-443"], {
      ".certsd-lint.yaml": "rules:\n  CD403: [warning, {days: 45}]\nexpiryWarningDays: 10\ndockerVersion: '20.10'\n",
    });
    const r = cli(["--print-config", "--rule", "CD105=off", path.join(dir, "certs.d")], dir);
    const shown: unknown = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(shown).toMatchObject({
      source: path.join(dir, ".certsd-lint.yaml"),
      rules: { CD403: "warning", CD105: "off" },
      ruleOptions: { CD403: { days: 45 } },
      effective: { dockerVersion: "20.10", expiryWarningDays: 10, containerdVersion: "2.2" },
    });
  });
});

describe("invalid configuration: exit 2, one line naming the key and why", () => {
  test.each([
    [
      '{"rule": {"CD105": "off"}}',
      ".certsd-lint.json",
      "rule: unknown key (did you mean rules?); see schema/config.v1.schema.json",
    ],
    ['{"rules": {"CD999": "off"}}', ".certsd-lint.json", 'rules.CD999: no rule "CD999"'],
    [
      '{"rules": {"host-port-433": "off"}}',
      ".certsd-lint.json",
      'rules.host-port-433: no rule "host-port-433" (did you mean host-port-443?); certsd-lint rules lists them',
    ],
    [
      '{"rules": {"CD105": "fatal"}}',
      ".certsd-lint.json",
      'rules.CD105: must be "off", "info", "warning" or "error", not "fatal"',
    ],
    [
      '{"rules": {"CD105": "off", "host-port-443": "error"}}',
      ".certsd-lint.json",
      "rules.host-port-443: CD105 is set twice (by id and by name)",
    ],
    [
      '{"rules": {"CD403": ["warning", {"dayz": 3}]}}',
      ".certsd-lint.json",
      'rules.CD403[1].dayz: CD403 has no option "dayz" (it has: days)',
    ],
    [
      '{"rules": {"CD403": ["warning", {"days": "soon"}]}}',
      ".certsd-lint.json",
      'rules.CD403[1].days: must be a whole number, not "soon"',
    ],
    [
      '{"rules": {"CD105": ["warning", {"days": 3}]}}',
      ".certsd-lint.json",
      "rules.CD105[1].days: CD105 takes no options",
    ],
    ['{"ignore": [{"path": "a/**"}]}', ".certsd-lint.json", "ignore[0].reason: is required: say why this is ignored"],
    [
      '{"ignore": [{"path": "a/**", "reason": "x", "expires": "2027-13-45"}]}',
      ".certsd-lint.json",
      'ignore[0].expires: must be a date, YYYY-MM-DD, not "2027-13-45"',
    ],
    [
      '{"ignore": [{"path": "a/**", "reason": "x", "rules": ["CD4O1"]}]}',
      ".certsd-lint.json",
      'ignore[0].rules[0]: no rule "CD4O1" (did you mean CD401?)',
    ],
    ['{"runtimes": ["dockerd"]}', ".certsd-lint.json", 'runtimes[0]: unknown runtime "dockerd"; choose from'],
    // YAML (and JSON) read an unquoted 20.10 as the number 20.1: refused rather than silently modelling Docker 20.1.
    [
      "dockerVersion: 20.10\n",
      ".certsd-lint.yaml",
      "dockerVersion: write the version quoted, as a string: as a number, 20.10 reads as 20.1 (this one reads as 20.1)",
    ],
    [
      '{"failureThreshold": "warn"}',
      ".certsd-lint.json",
      'failureThreshold: must be "error", "warning", "info" or "none"',
    ],
    ['{"rules": {', ".certsd-lint.json", "is not valid JSON"],
    ["rules:\n  CD105: off\n  CD105: info\n", ".certsd-lint.yaml", "is not valid YAML: Map keys must be unique"],
    ["- just\n- a list\n", ".certsd-lint.yaml", "must hold an object (keys: rules, ignore, plugins, ...)"],
  ])("%s", (text, name, why) => {
    const dir = repo(["host-443"], { [name]: text });
    const r = cli([path.join(dir, "certs.d")], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2); // one line and its newline
    expect(r.stderr).toContain(`certsd-lint: ${path.join(dir, name)}: `);
    expect(r.stderr).toContain(why);
  });

  test("a --config file that does not exist", () => {
    const r = cli(["--config", "/nonexistent/.certsd-lint.json", caseRoot("good")], os.tmpdir());
    expect([r.code, r.stderr]).toEqual([2, "certsd-lint: /nonexistent/.certsd-lint.json: cannot be read (ENOENT)\n"]);
  });
});

describe("the configuration schema (schema/config.v1.schema.json)", () => {
  // strictTuples off: [severity] alone is as valid as [severity, options]; versions may be "20.10" or 29.
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
  ajv.addVocabulary(["x-message"]); // certsd-lint's own annotation: the message it prints for a value the keywords refuse
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "config.v1.schema.json"), "utf8")));
  test.each([
    [{ rules: { CD105: "off", "client-cert-saved-as-crt": "warning", CD403: ["warning", { days: 45 }] } }],
    [
      {
        ignore: [{ path: "legacy-reg:5000/**", rules: ["CD401"], reason: "retired in Q1", expires: "2027-01-31" }],
        failureThreshold: "warning",
        maxWarnings: 0,
      },
    ],
    [{ plugins: ["./my-rules.js"], runtimes: ["docker", "containerd"], dockerVersion: "20.10", expiryWarningDays: 14 }],
  ])("accepts what certsd-lint accepts: %j", (config) => {
    expect([validate(config), validate.errors]).toEqual([true, null]);
  });
  test.each([
    [{ rule: {} }],
    [{ ignore: [{ path: "a" }] }],
    [{ rules: { CD105: "fatal" } }],
    [{ failureThreshold: "warn" }],
    [{ ignore: [{ path: "a", reason: "b", expires: "soon" }] }],
  ])("refuses what certsd-lint refuses: %j", (config) => expect(validate(config)).toBe(false));
});

test("the validator certsd-lint runs is the one compiled from the schema as committed", () => {
  expect(
    spawnSync(process.execPath, [path.join(REPO, "schema", "build-validator.mjs"), "--check"], { encoding: "utf8" }),
  ).toMatchObject({ status: 0, stderr: "" });
});

describe("rule settings", () => {
  test("--rule wins over the configuration, by id or name", () => {
    const dir = repo(["host-443"], { ".certsd-lint.json": '{"rules": {"CD105": "off"}}' });
    expect(json(dir, ["--rule", "CD105=error"]).report.findings[0]!.severity).toBe("error");
    expect(json(dir, ["--rule", "host-port-443=info"]).report.findings[0]!.severity).toBe("info");
  });

  test("--rule with an unknown rule or setting is exit 2", () => {
    const dir = repo(["host-443"]);
    expect(cli(["--rule", "CD999=off", dir], dir).stderr).toBe(
      'certsd-lint: --rule CD999=off: no rule "CD999"; certsd-lint rules lists them\n',
    );
    expect(cli(["--rule", "CD105=loud", dir], dir).stderr).toBe(
      "certsd-lint: --rule CD105=loud: the setting must be off, info, warning or error\n",
    );
    expect(cli(["--rule", "CD105", dir], dir).stderr).toBe(
      "certsd-lint: --rule CD105: write it as ID=SETTING, e.g. --rule CD104=off\n",
    );
  });

  test("a rule's options: CD403's days", async () => {
    const dir = repo(["ca-expiring-soon"]);
    const run = (config: Record<string, unknown>) =>
      lint({ paths: [path.join(dir, "certs.d")], now, config }).then(ids);
    expect(await run({})).toEqual(["CD403"]); // 17 days left, warned at 30
    expect(await run({ rules: { CD403: ["warning", { days: 10 }] } })).toEqual([]);
    expect(await run({ expiryWarningDays: 10, rules: { CD403: ["warning", { days: 20 }] } })).toEqual(["CD403"]);
  });
});

describe("ignores", () => {
  const tree = () => repo(["host-443", "key-mismatch"]);

  test("an ignore hides what it matches, by <host>/<file> glob and rule, and is counted", async () => {
    const dir = tree();
    const report = await lint({
      paths: [path.join(dir, "certs.d")],
      now,
      config: {
        ignore: [
          { path: "registry.example.com:443", rules: ["CD105"], reason: "only used as host:443 by the build farm" },
        ],
      },
    });
    expect(ids(report)).toEqual(["CD301"]);
    expect(report.summary.suppressed).toEqual({ ignored: 1, baseline: 0 });
  });

  test("paths relative to the configuration file work too, and ** spans directories", async () => {
    const dir = repo(["key-mismatch"], {
      ".certsd-lint.json": JSON.stringify({ ignore: [{ path: "certs.d/**/client.*", reason: "rotating next week" }] }),
    });
    const report = await lint({ paths: [path.join(dir, "certs.d")], now });
    expect([ids(report), report.summary.suppressed.ignored]).toEqual([[], 1]);
  });

  test("an expired ignore stops working and is itself a warning (CD002)", async () => {
    const dir = tree();
    const config = {
      ignore: [
        {
          path: "registry.example.com:5000/**",
          rules: ["key-mismatch"],
          reason: "key being replaced",
          expires: "2026-11-22",
        },
      ],
    };
    const report = await lint({ paths: [path.join(dir, "certs.d")], now, config });
    const cd002 = report.findings.find((f) => f.ruleId === "CD002")!;
    expect(ids(report).sort()).toEqual(["CD002", "CD105", "CD301"]);
    expect(cd002).toMatchObject({
      severity: "warning",
      host: "",
      message: expect.stringContaining(
        'ignore[0] (registry.example.com:5000/**, CD301: "key being replaced") expired on 2026-11-22',
      ) as jest.AsymmetricMatcher,
    });
    // The last day it applies is the day it names.
    const dayBefore = await lint({ paths: [path.join(dir, "certs.d")], now: new Date("2026-11-22T23:59:59Z"), config });
    expect(ids(dayBefore)).toEqual(["CD105"]);
  });

  test("an ignore that matched nothing is reported (CD003, info)", async () => {
    const dir = tree();
    const config = { ignore: [{ path: "registry.example.com:500/**", reason: "typo in the port" }] };
    const report = await lint({ paths: [path.join(dir, "certs.d")], now, config });
    expect(report.findings.filter((f) => f.ruleId === "CD003").map((f) => [f.severity, f.headline, f.why])).toEqual([
      [
        "info",
        "ignore[0] (registry.example.com:500/**) matched no finding",
        'ignore[0] (registry.example.com:500/**: "typo in the port") matched no finding in this run.',
      ],
    ]);
  });

  test("linting part of a root (pre-commit) does not call ignores for the other hosts unused", async () => {
    const dir = tree();
    const config = { ignore: [{ path: "registry.example.com:443", rules: ["CD105"], reason: "build farm" }] };
    const part = await lint({
      paths: [path.join(dir, "certs.d", "registry.example.com:5000", "client.key")],
      now,
      config,
    });
    expect(ids(part)).toEqual(["CD301"]);
  });
});

describe("baseline", () => {
  test("--baseline-write records the findings; --baseline then reports only new ones", () => {
    const dir = repo(["key-mismatch"]);
    const file = path.join(dir, "reports", "certsd-baseline.json");
    const w = cli(["--baseline-write", file, path.join(dir, "certs.d")], dir);
    expect([w.code, w.stderr]).toEqual([
      0,
      `certsd-lint: baseline of 1 findings written to ${file}; later runs with --baseline report only new ones\n`,
    ]);
    const baseline = JSON.parse(readFileSync(file, "utf8")) as Baseline;
    expect(baseline.findings.map((f) => [f.ruleId, f.host, f.file])).toEqual([
      ["CD301", "registry.example.com:5000", "client.key"],
    ]);

    const same = json(dir, ["--baseline", file]);
    expect([same.code, ids(same.report), same.report.summary.suppressed]).toEqual([0, [], { ignored: 0, baseline: 1 }]);

    // A new problem elsewhere is reported; the recorded one stays quiet.
    cpSync(
      path.join(caseRoot("host-443"), "registry.example.com:443"),
      path.join(dir, "certs.d", "registry.example.com:443"),
      { recursive: true },
    );
    deployKeys(dir);
    expect(ids(json(dir, ["--baseline", file]).report)).toEqual(["CD105"]);
  });

  test("the fingerprint follows the content: a different mismatched key is a new finding", () => {
    const dir = repo(["key-mismatch"]);
    const file = path.join(dir, "baseline.json");
    cli(["--baseline-write", file, path.join(dir, "certs.d")], dir);
    const host = path.join(dir, "certs.d", "registry.example.com:5000");
    // Another RSA key that matches neither: still CD301 on client.key, but not the finding that was recorded.
    cpSync(path.join(REPO, "fixtures", "keys", "server.pem"), path.join(host, "client.key"));
    deployKeys(dir);
    const after = json(dir, ["--baseline", file]);
    expect([ids(after.report), after.report.summary.suppressed.baseline]).toEqual([["CD301"], 0]);
  });

  test("a baseline never holds key bytes", () => {
    const dir = repo(["key-mismatch", "good"]);
    const file = path.join(dir, "baseline.json");
    cli(["--baseline-write", file, path.join(dir, "certs.d")], dir);
    const text = readFileSync(file, "utf8");
    for (const host of readdirSync(path.join(dir, "certs.d"))) {
      for (const f of readdirSync(path.join(dir, "certs.d", host)).filter((n) => n.endsWith(".key"))) {
        const pem = readFileSync(path.join(dir, "certs.d", host, f), "utf8");
        const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
        const der = Buffer.from(body, "base64");
        for (let i = 0; i + 24 <= body.length; i += 24) expect(text).not.toContain(body.slice(i, i + 24));
        for (let i = 0; i + 12 <= der.length; i += 12)
          expect(text.toLowerCase()).not.toContain(der.subarray(i, i + 12).toString("hex"));
      }
    }
  });

  test("a file that is not a baseline is exit 2", () => {
    const dir = repo(["good"], { "nope.json": '{"a": 1}' });
    expect(cli(["--baseline", path.join(dir, "nope.json"), path.join(dir, "certs.d")], dir).stderr).toBe(
      `certsd-lint: --baseline ${path.join(dir, "nope.json")}: not a certsd-lint baseline (write one with --baseline-write)\n`,
    );
  });
});

describe("the gate", () => {
  const warningOnly = () => repo(["host-443"]);
  test.each([
    [[], 0],
    [["--failure-threshold", "warning"], 1],
    [["--failure-threshold", "info"], 1],
    [["--failure-threshold", "none", "--rule", "CD105=error"], 0],
    [["--max-warnings", "0"], 1],
    [["--max-warnings", "1"], 0],
  ])("one warning, %j: exit %i", (args, code) => {
    const dir = warningOnly();
    expect(cli([...args, path.join(dir, "certs.d")], dir).code).toBe(code);
  });

  test("the configuration can set the gate; the flags win", () => {
    const dir = repo(["host-443"], { ".certsd-lint.json": '{"failureThreshold": "warning"}' });
    expect(cli([path.join(dir, "certs.d")], dir).code).toBe(1);
    expect(cli(["--failure-threshold", "error", path.join(dir, "certs.d")], dir).code).toBe(0);
    writeFileSync(path.join(dir, ".certsd-lint.json"), '{"maxWarnings": 0}');
    expect(cli([path.join(dir, "certs.d")], dir).code).toBe(1);
  });

  test("zero host directories is exit 2 unless --allow-empty", () => {
    const dir = repo([]);
    expect(cli([path.join(dir, "certs.d")], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: `certsd-lint: no host directories found in ${path.join(dir, "certs.d")}\n`,
    });
    const r = cli(["--allow-empty", "--format", "json", path.join(dir, "certs.d")], dir);
    expect([r.code, (JSON.parse(r.stdout) as JsonReport).summary.hosts]).toEqual([0, 0]);
  });

  test.each([
    [
      ["--failure-threshold", "warn"],
      "certsd-lint: --failure-threshold: choose from error, warning, info, none (not warn)\n",
    ],
    [["--max-warnings", "lots"], "certsd-lint: --max-warnings: a whole number, -1 for no limit\n"],
  ])("bad gate flags %j are exit 2", (args, message) => {
    const dir = warningOnly();
    expect(cli([...args, path.join(dir, "certs.d")], dir)).toMatchObject({ code: 2, stderr: message });
  });
});

describe("the API", () => {
  test("lint() resolves to what --format json prints", async () => {
    const dir = repo(["host-443", "key-mismatch"], { ".certsd-lint.json": '{"rules": {"CD105": "info"}}' });
    const viaCli = json(dir).report;
    const viaApi = await lint({ paths: [path.join(dir, "certs.d")], now, cwd: dir });
    expect(viaApi).toEqual(viaCli);
  });

  test("bad input rejects with a CertsdLintError carrying the CLI's one line", async () => {
    await expect(lint({ paths: ["/nonexistent/certs.d"], now, config: false })).rejects.toThrow(
      new CertsdLintError("/nonexistent/certs.d: no such file or directory"),
    );
    await expect(lint({ paths: [caseRoot("good")], now, config: { rules: { CD105: "loud" } } })).rejects.toBeInstanceOf(
      CertsdLintError,
    );
  });
});
