/**
 * Every output format, checked by a real consumer: SARIF by a JSON Schema validator (ajv, against the SARIF 2.1.0
 * schema shipped as test data) and by Microsoft's SARIF Multitool; JUnit XML by junitparser (Debian's
 * python3-junitparser); checkstyle XML by xmllint and Python's XML parser; GitHub annotations against what
 * @actions/core itself writes. Plus several formats at once, and colour never reaching files or machine formats.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import Ajv2020, { type SchemaObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { formatters, lint } from "../../src/api.js";
import type { JsonReport } from "../../src/report/json.js";
import { caseRoot, cleanupFixtures, EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";
import { cli as run } from "../helpers/cli.js";
import type { SarifLog } from "../helpers/sarif.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-formats-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

const ESC = "\u001b[";
const PYTHON = "/usr/bin/python3"; // Debian's, where apt-get puts python3-junitparser

const cli = (args: string[], env: Record<string, string> = {}) => run(args, { env, prefix: ["--now", NOW] });
const EX = path.relative(REPO, EXAMPLES); // examples/certs.d, as a user in the repository would type it

let report: JsonReport;
beforeAll(async () => {
  report = await lint({ paths: [EXAMPLES], now: new Date(NOW), config: false });
});

describe("SARIF 2.1.0", () => {
  const schema = JSON.parse(readFileSync(path.join(REPO, "test", "data", "sarif-2.1.0.json"), "utf8")) as SchemaObject;
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const sarifOf = (args: string[]) => JSON.parse(cli(["--format", "sarif", ...args]).stdout) as SarifLog;

  test.each([
    ["the examples", [EX]],
    ["a healthy tree (no results)", [caseRoot("good")]],
    [
      "findings about the configuration and directories",
      ["--config", path.join(REPO, "test", "data", "stale-ignore.json"), EX],
    ],
  ])("%s: valid against the official schema", (_name, args) => {
    const log = sarifOf(args);
    expect([validate(log), validate.errors]).toEqual([true, null]);
  });

  test("tool.driver.rules come from the rule metadata, and results point into them", () => {
    const log = sarifOf([EX]);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules;
    expect(rules.find((r: { id: string }) => r.id === "CD301")).toMatchObject({
      id: "CD301",
      name: "key-mismatch",
      defaultConfiguration: { level: "error" },
      help: {
        text: expect.stringContaining("not the private key of the .cert's certificate") as jest.AsymmetricMatcher,
        markdown: expect.stringContaining("# CD301 key-mismatch") as jest.AsymmetricMatcher,
      },
    });
    // The help travels in the log; no address of the machine that ran it (package.json has no homepage).
    expect(JSON.stringify(log)).not.toMatch(/"(helpUri|informationUri)":"file:/);
    expect(rules.find((r: { id: string }) => r.id === "CD301")!).not.toHaveProperty("helpUri");
    expect(rules.find((r: { id: string }) => r.id === "CD510")!.defaultConfiguration.level).toBe("note");
    for (const r of run.results) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual(
      report.findings.map((f) => [f.ruleId, { error: "error", warning: "warning", info: "note" }[f.severity]]),
    );
  });

  test("locations are relative to the repository root, URI-encoded", () => {
    const run = sarifOf([EX]).runs[0]!;
    expect(run.originalUriBaseIds["%SRCROOT%"]!.uri).toBe(`file://${REPO}/`);
    const nexus = run.results.find((r: { ruleId: string }) => r.ruleId === "CD201")!.locations[0]!.physicalLocation;
    expect(nexus).toEqual({
      artifactLocation: { uri: "examples/certs.d/nexus.example.com%3A8443/ca.crt", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1 },
    });
    // A finding about a host directory points at the directory.
    const host443 = run.results.find((r: { ruleId: string }) => r.ruleId === "CD105")!.locations[0]!.physicalLocation;
    expect(host443).toEqual({
      artifactLocation: { uri: "examples/certs.d/registry.example.com%3A443/", uriBaseId: "%SRCROOT%" },
    });
  });

  const multitool = (() => {
    try {
      return createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
    } catch {
      return null;
    }
  })();
  (multitool ? test : test.skip)(
    "Microsoft's SARIF Multitool validates it: no errors; its only warnings are about directory locations",
    () => {
      const file = path.join(tmp, "examples.sarif");
      const out = path.join(tmp, "examples.validation.sarif");
      writeFileSync(file, cli(["--format", "sarif", EX]).stdout);
      // Invariant globalization: the self-contained .NET tool then needs no ICU library on the machine.
      const r = spawnSync(
        multitool!,
        ["validate", file, "--output", out, "--log", "ForceOverwrite", "--level", "Error;Warning;Note"],
        {
          encoding: "utf8",
          env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
        },
      );
      expect([r.status, r.stdout]).toEqual([0, expect.stringContaining("Analysis completed successfully")]);
      const validation = JSON.parse(readFileSync(out, "utf8")) as {
        runs: Array<{ results: Array<{ ruleId: string; level?: string; message: { arguments: string[] } }> }>;
      };
      const results = validation.runs[0]!.results;
      // The Multitool drops a log it cannot deserialize without a word; its notes show it really read this one.
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((x) => x.level === "error")).toEqual([]);
      // SARIF2017 asks for a region; a host directory has none (findings about files give startLine 1). SARIF2005
      // asks for the tool's informationUri: certsd-lint claims no web address until package.json has a homepage.
      const warnings = results.filter((x) => (x.level ?? "warning") === "warning");
      const log = JSON.parse(readFileSync(file, "utf8")) as SarifLog;
      const tool = warnings.filter((w) => w.ruleId === "SARIF2005");
      expect(tool.length).toBeLessThanOrEqual(1);
      if (tool.length) expect(tool[0]!.message.arguments[0]).toBe("runs[0].tool.driver");
      for (const w of warnings.filter((x) => x.ruleId !== "SARIF2005")) {
        expect(w.ruleId).toBe("SARIF2017");
        const index = Number(/results\[(\d+)\]/.exec(w.message.arguments[0]!)![1]);
        expect(log.runs[0]!.results[index]!.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/\/$/);
      }
    },
  );
});

describe("JUnit XML", () => {
  const hasParser = spawnSync(PYTHON, ["-c", "import junitparser"]).status === 0;
  if (!hasParser)
    console.warn(`JUnit test skipped: ${PYTHON} cannot import junitparser (apt-get install python3-junitparser)`);
  (hasParser ? test : test.skip)(
    "junitparser reads it: a suite per host directory, a failing case per error or warning",
    () => {
      const file = path.join(tmp, "junit.xml");
      writeFileSync(file, cli(["--format", "junit", EX]).stdout);
      const script = `
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
out = []
for suite in xml:
    cases = []
    for case in suite:
        failures = [r for r in case.result if isinstance(r, Failure)]
        cases.append({"name": case.name, "classname": case.classname, "failure": [failures[0].type, failures[0].message] if failures else None})
    out.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "suites": out}))
`;
      const r = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      const parsed = JSON.parse(r.stdout) as {
        tests: number;
        failures: number;
        suites: Array<{
          name: string;
          tests: number;
          failures: number;
          cases: Array<{ name: string; classname: string; failure: [string, string] | null }>;
        }>;
      };
      const failing = report.findings.filter((f) => f.severity !== "info");
      expect(parsed.failures).toBe(failing.length);
      expect(parsed.suites.map((s: { name: string }) => s.name)).toEqual(
        report.hosts.map((h) => path.relative(REPO, h.path)),
      );
      const nexus = parsed.suites.find((s: { name: string }) => s.name.endsWith("nexus.example.com:8443"))!;
      expect(nexus.cases.map((c) => [c.name, c.failure?.[0]])).toEqual([
        ["CD201 crt-no-usable-certificate ca.crt", "error"],
        ["CD104 client-cert-saved-as-crt client.crt", "error"],
      ]);
      expect(nexus.cases[0]!.failure![1]).toBe(report.findings.find((f) => f.ruleId === "CD201")!.message);
      const healthy = parsed.suites.find((s: { name: string }) => s.name.endsWith("harbor.example.com"))!;
      expect(healthy.cases.length).toBeGreaterThan(0);
    },
  );
});

describe("checkstyle XML", () => {
  const xmllint = spawnSync("xmllint", ["--version"]).status === 0;
  if (!xmllint) console.warn("checkstyle well-formedness test skipped: no xmllint (apt-get install libxml2-utils)");
  const file = path.join(tmp, "checkstyle.xml");
  beforeAll(() => writeFileSync(file, cli(["--format", "checkstyle", EX]).stdout));

  (xmllint ? test : test.skip)("xmllint finds it well-formed", () => {
    const r = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([0, ""]);
  });

  const python = spawnSync(PYTHON, ["-c", "pass"]).status === 0;
  if (!python) console.warn(`checkstyle parse test skipped: no ${PYTHON}`);
  (python ? test : test.skip)("Python's XML parser reads one <file> per path and one <error> per finding", () => {
    const script = `
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print(json.dumps([[f.get("name"), [[e.get("severity"), e.get("source"), e.get("line")] for e in f]] for f in root.iter("file")]))
`;
    const r = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
    const files = JSON.parse(r.stdout) as Array<[string, Array<[string, string, string]>]>;
    expect(files.flatMap(([, errors]) => errors).length).toBe(report.findings.length);
    expect(files.find(([name]) => name === "examples/certs.d/nexus.example.com:8443/ca.crt")).toEqual([
      "examples/certs.d/nexus.example.com:8443/ca.crt",
      [["error", "certsd-lint.CD201", "1"]],
    ]);
  });

  (python ? test : test.skip)("a message's line breaks survive the parser (escaped as &#10; in the attribute)", () => {
    const script = `
import json, sys
import xml.etree.ElementTree as ET
print(json.dumps([e.get("message") for e in ET.parse(sys.argv[1]).getroot().iter("error")]))
`;
    const messages = JSON.parse(spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" }).stdout) as string[];
    const quoting = report.findings.find((f) => Object.keys(f.runtimeErrors).length > 0)!;
    const parsed = messages.find((m) => m.startsWith(quoting.headline))!;
    expect(parsed.split("\n").length).toBeGreaterThan(1);
    expect(parsed.split("\n")[1]).toMatch(/ says?: /);
  });
});

describe("GitHub workflow commands", () => {
  test("each line is exactly what @actions/core writes for the same annotation", () => {
    const ours = cli(["--format", "github", EX]).stdout.split("\n").filter(Boolean);
    const theirs: string[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- only saved to be put back in `finally`, never called detached
    const write = process.stdout.write;
    process.stdout.write = (chunk: string) => {
      theirs.push(...String(chunk).split(os.EOL).filter(Boolean));
      return true;
    };
    try {
      for (const f of report.findings) {
        const said = Object.entries(
          Object.entries(f.runtimeErrors).reduce<Record<string, string[]>>(
            (m, [rt, text]) => ({ ...m, [text]: [...(m[text] ?? []), rt] }),
            {},
          ),
        ).map(([text, rts]) => `${rts.join(", ")} ${rts.length === 1 ? "says" : "say"}: ${text}`);
        // The headline (the annotation's first line), what each runtime says, why, and the fix.
        const fix = f.fix ? [`fix: ${f.fix.command ? `${f.fix.text} \`${f.fix.command}\`.` : f.fix.text}`] : [];
        const message = [f.headline, ...said, ...(f.why ? [f.why] : []), ...fix].join("\n");
        const file = path.relative(REPO, path.join(f.root, f.host, f.file ?? ""));
        const props = { title: `${f.ruleId} ${f.name}`, file, ...(f.file ? { startLine: 1 } : {}) };
        ({ error: core.error, warning: core.warning, info: core.notice })[f.severity](message, props);
      }
    } finally {
      process.stdout.write = write;
    }
    expect(ours).toEqual(theirs);
    expect(ours.find((l) => l.includes("CD201"))).toMatch(
      /^::error title=CD201 crt-no-usable-certificate,file=examples\/certs.d\/nexus.example.com%3A8443\/ca.crt,line=1::DER-encoded \(binary\); Go reads only PEM%0Adocker-containerd, containerd say: unable to load CA cert/,
    );
  });
});

describe("several formats at once", () => {
  test("stylish to the terminal, SARIF and JUnit to files (directories made), the exit status unchanged", () => {
    const sarif = path.join(tmp, "reports", "certsd.sarif");
    const junit = path.join(tmp, "reports", "certsd.xml");
    const r = cli(["--format", "stylish", "--format", `sarif=${sarif}`, "--format", `junit=${junit}`, EX]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("problems (12 errors, 1 warning, 1 info)");
    expect((JSON.parse(readFileSync(sarif, "utf8")) as SarifLog).runs[0]!.results).toHaveLength(report.findings.length);
    expect(readFileSync(junit, "utf8")).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="certsd-lint"/,
    );
  });

  test("a file format alone still shows stylish on the terminal", () => {
    const r = cli(["--format", `json=${path.join(tmp, "only.json")}`, EX]);
    expect(r.stdout).toContain("problems (12 errors");
  });

  test("two formats for the terminal is exit 2", () => {
    const r = cli(["--format", "json", "--format", "sarif", EX]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "certsd-lint: --format: only one format can go to the terminal (json, sarif); write the others to files with =FILE\n",
    ]);
  });
});

describe("colour", () => {
  test.each(["json", "sarif", "junit", "github", "checkstyle", "compact"])(
    "%s is never coloured, even with FORCE_COLOR or --color",
    (format) => {
      expect(cli(["--format", format, EX], { FORCE_COLOR: "1" }).stdout).not.toContain(ESC);
      expect(cli(["--color", "--format", format, EX]).stdout).not.toContain(ESC);
    },
  );

  test("files are never coloured; the terminal is, when asked", () => {
    const file = path.join(tmp, "stylish.txt");
    const r = cli(["--color", "--format", "compact", "--format", `stylish=${file}`, EX]);
    expect(readFileSync(file, "utf8")).not.toContain(ESC);
    expect(readFileSync(file, "utf8")).toContain("CD201");
    const tty = cli(["--color", EX]);
    expect(tty.stdout).toContain(ESC);
    expect(r.stdout).not.toContain(ESC);
  });

  test("the API's stylish formatter colours only on request", () => {
    expect(formatters.stylish(report)).not.toContain(ESC);
    expect(formatters.stylish(report, { color: true })).toContain(ESC);
  });
});
