import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { caseRoot, cleanupFixtures, CLI, EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";
import { cli as run } from "../helpers/cli.js";
import type { JsonReport } from "../../src/report/json.js";
import type { RulesJson } from "../../src/report/rules.js";

afterAll(cleanupFixtures);

const cli = (args: string[], env: Record<string, string> = {}) => run(args, { env });

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));

describe("exit codes", () => {
  test("0 when nothing is an error", () => {
    expect(cli(["--now", NOW, caseRoot("good")]).code).toBe(0);
  });
  test("1 when a finding is an error", () => {
    expect(cli(["--now", NOW, EXAMPLES]).code).toBe(1);
  });
  test.each([
    [["/nonexistent/certs.d"], "certsd-lint: /nonexistent/certs.d: no such file or directory\n"],
    [
      ["package.json"],
      "certsd-lint: package.json: not certificate material (expected a certs.d root, a host directory, or a .crt/.cert/.key file)\n",
    ],
    [["--now", "yesterday", EXAMPLES], "certsd-lint: --now: not an ISO 8601 date: yesterday\n"],
    [
      ["--format", "xml", EXAMPLES],
      'certsd-lint: --format: unknown format "xml"; choose from stylish, json, sarif, junit, github, checkstyle, compact, tree (add =FILE to write a file)\n',
    ],
    [["--bogus"], "certsd-lint: Unknown argument: --bogus\n"],
    [["--no-such-flag"], "certsd-lint: Unknown argument: --such-flag\n"],
    [["--docker-version", "banana", EXAMPLES], "certsd-lint: --docker-version: not a Docker Engine version: banana\n"],
  ])("2 with one line on stderr for %j", (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    if (message) expect(r.stderr).toBe(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
  test("2 when a root holds no host directory", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "certsd-empty-"));
    try {
      const r = cli([empty]);
      expect([r.code, r.stderr]).toEqual([2, `certsd-lint: no host directories found in ${empty}\n`]);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

describe("JSON report", () => {
  const report = () => JSON.parse(cli(["--format", "json", "--now", NOW, EXAMPLES]).stdout) as JsonReport;

  test("validates against schema/report.v1.schema.json", () => {
    const r = report();
    expect(validate(r) ? [] : validate.errors).toEqual([]);
  });

  test("carries each host's outcome for every runtime checked, and the findings with each runtime's words", () => {
    const r = report();
    expect(r.version).toBe(1);
    expect(r.tool.name).toBe("certsd-lint");
    expect(r.options).toEqual({
      now: "2026-11-23T00:00:00.000Z",
      expiryWarningDays: 30,
      dockerVersion: "29",
      containerdVersion: "2.2",
      podmanVersion: "5",
      runtimes: null,
      config: null,
    });
    const harbor = r.hosts.find((h) => h.name === "harbor.example.com")!;
    // examples/certs.d is not under /etc: all four runtimes are checked.
    expect(Object.keys(harbor.runtimes)).toEqual(["docker", "docker-containerd", "containerd", "podman"]);
    expect(harbor.runtimes.docker).toEqual({
      status: "error",
      error: "missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
      printed:
        "Error response from daemon: missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
      errorFile: "ca.cert",
      reason: null,
      caFiles: [],
      caCertificates: 0,
      clientPairs: [],
      ignored: [],
      unreached: [],
      logged: [],
      verdicts: [
        {
          file: "ca.cert",
          role: "client-certificate",
          partner: "ca.key",
          error: "missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
          cause: "missing-partner",
        },
      ],
    });
    expect(harbor.runtimes.containerd).toMatchObject({
      status: "error",
      error: "failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key",
      printed:
        'failed to resolve reference "harbor.example.com/<image>": failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key',
      hostsToml: { status: "absent" },
    });
    expect(harbor.runtimes.podman!.error).toBe(
      "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt",
    );
    const good = r.hosts.find((h) => h.name === "registry.example.com:5000")!;
    expect(good.runtimes.docker).toMatchObject({
      status: "ok",
      caFiles: ["ca.crt"],
      caCertificates: 1,
      clientPairs: [["client.cert", "client.key"]],
    });
    const f = r.findings.find((x) => x.ruleId === "CD103");
    expect(f).toMatchObject({
      name: "ca-saved-as-cert",
      severity: "error",
      host: "harbor.example.com",
      root: EXAMPLES,
      file: "ca.cert",
      runtimes: ["docker", "docker-containerd", "containerd", "podman"],
      runtimeErrors: {
        docker: "missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
        "docker-containerd":
          "failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key",
        containerd:
          "failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key",
        podman:
          "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt",
      },
      docsUrl: "docs/rules/CD103.md",
    });
    expect(r.summary).toEqual({
      errors: 12,
      warnings: 1,
      infos: 1,
      fatal: 0,
      hosts: 11,
      files: 22,
      suppressed: { ignored: 0, baseline: 0 },
    });
  });

  test("--runtime narrows the runtimes, in the report and in the findings", () => {
    const r = JSON.parse(cli(["--format", "json", "--runtime", "docker,podman", EXAMPLES]).stdout) as JsonReport;
    expect(r.options.runtimes).toEqual(["docker", "podman"]);
    expect(r.hosts.every((h) => Object.keys(h.runtimes).join() === "docker,podman")).toBe(true);
    expect(r.findings.every((f) => f.runtimes.every((x) => x === "docker" || x === "podman"))).toBe(true);
  });

  test("--runtime containerd on a broken hosts.toml: containerd's exact error, and that the file is ignored", () => {
    const root = caseRoot("toml-unknown-capability");
    const r = JSON.parse(cli(["--format", "json", "--runtime", "containerd", root]).stdout) as JsonReport;
    const host = `${root}/registry.example.com:5000`;
    expect(r.hosts[0]!.runtimes.containerd).toMatchObject({
      status: "ok",
      caFiles: ["ca.crt"],
      hostsToml: { status: "invalid", error: "unknown capability fetch", verbatim: true },
      logged: [
        {
          level: "error",
          message: `failed to decode ${host}/hosts.toml`,
          error: "unknown capability fetch",
          verbatim: true,
        },
      ],
    });
    expect(r.findings).toMatchObject([
      {
        ruleId: "CD501",
        file: "hosts.toml",
        runtimes: ["containerd"],
        runtimeErrors: {
          containerd: `level=error msg="failed to decode ${host}/hosts.toml" error="unknown capability fetch"`,
        },
      },
    ]);
    expect(r.findings[0]!.messageId).toBe("validation");
    expect(r.findings[0]!.why).toContain(
      'containerd\'s own error: unknown capability fetch. It logs "failed to decode" and ignores the whole file',
    );
  });

  test("bad --runtime and --containerd-version values are usage errors", () => {
    expect(cli(["--runtime", "dockerd", EXAMPLES])).toMatchObject({
      code: 2,
      stderr:
        "certsd-lint: --runtime: unknown runtime dockerd; choose from docker, docker-containerd, containerd, podman\n",
    });
    expect(cli(["--containerd-version", "x", EXAMPLES])).toMatchObject({
      code: 2,
      stderr: "certsd-lint: --containerd-version: not a containerd version: x\n",
    });
  });

  test("is byte-identical across runs", () => {
    const a = cli(["--format", "json", "--now", NOW, EXAMPLES]).stdout;
    const b = cli(["--format", "json", "--now", NOW, EXAMPLES]).stdout;
    expect(a).toBe(b);
  });

  test("every fixture case gives a report that validates", () => {
    for (const id of [
      "good",
      "multi-host",
      "fifo-crt",
      "loopback",
      "host-is-file",
      "dir-named-crt",
      "appledouble",
      "toml-valid",
      "toml-syntax-error",
      "toml-ca-missing",
      "host-port-both",
    ]) {
      const r: unknown = JSON.parse(cli(["--format", "json", "--now", NOW, caseRoot(id)]).stdout);
      expect(validate(r) ? [] : [id, validate.errors]).toEqual([]);
    }
  });
});

describe("stylish", () => {
  test("shows each runtime's verdict per host and the findings with each runtime's words", () => {
    const out = cli(["--now", NOW, EXAMPLES]).stdout;
    // The root once, its hosts by name; one line for a host whose runtimes agree.
    expect(out).toMatch(/^examples\/certs\.d\n/);
    expect(out).toContain("registry.example.com:5000  ✔ all 4 runtimes: 1 CA file, 1 client pair\n");
    expect(out).toContain("harbor.example.com  ✖ all 4 runtimes: stop at ca.cert (CD103)\n");
    // Where the runtimes differ, a line per group; the finding each stops at carries its words, marked.
    expect(out).toContain("nexus.example.com:8443\n  ✖ docker, podman: stop at client.crt (CD104)\n");
    expect(out).toContain(
      "    ⮕ docker stops here: missing key ca.key for client certificate ca.cert. CA certificates must use",
    );
    expect(out).toContain(
      "    ⮕ docker-containerd, containerd stop here: failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key",
    );
    expect(out).toContain("    ⮕ docker, podman stop here: missing client certificate client.cert for key client.key");
    // A runtime that loads but has an error against it is not marked fine.
    expect(out).toContain("quay.example.com  ✖ all 4 runtimes: 1 CA file, 1 client pair\n");
    expect(out).toMatch(/✖ 14 problems \(12 errors, 1 warning, 1 info\) in 11 host directories\n$/);
  });

  test("colour: off for a pipe, on with --color or FORCE_COLOR, off with NO_COLOR or --no-color", () => {
    const esc = "\u001b[";
    expect(cli([EXAMPLES]).stdout).not.toContain(esc);
    expect(cli(["--color", EXAMPLES]).stdout).toContain(esc);
    expect(cli([EXAMPLES], { FORCE_COLOR: "1" }).stdout).toContain(esc);
    expect(cli(["--no-color", EXAMPLES], { FORCE_COLOR: "1" }).stdout).not.toContain(esc);
    expect(cli([EXAMPLES], { NO_COLOR: "1", FORCE_COLOR: "1" }).stdout).not.toContain(esc);
  });

  test("a clean tree says so", () => {
    expect(cli(["--now", NOW, caseRoot("good")]).stdout).toMatch(/✔ no problems in 1 host directory\n$/);
  });
});

describe("rules and explain", () => {
  const validateRules = ajv.compile(
    JSON.parse(readFileSync(path.join(REPO, "schema", "rules.v1.schema.json"), "utf8")),
  );

  test("rules: a table of every rule", () => {
    const r = cli(["rules"]);
    expect(r.code).toBe(0);
    for (const id of ["CD001", "CD101", "CD207", "CD305", "CD405", "CD510"]) expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/\d+ rules\. certsd-lint explain <id>/);
  });

  test("rules --format json validates against schema/rules.v1.schema.json", () => {
    const r = cli(["rules", "--format", "json"]);
    const doc = JSON.parse(r.stdout) as RulesJson;
    expect(validateRules(doc) ? [] : validateRules.errors).toEqual([]);
    expect(doc.rules.length).toBeGreaterThanOrEqual(45);
  });

  test("rules --format markdown is docs/rules.md", () => {
    expect(cli(["rules", "--format", "markdown"]).stdout).toBe(
      readFileSync(path.join(REPO, "docs", "rules.md"), "utf8"),
    );
  });

  test("explain <id> prints the rule's page", () => {
    const r = cli(["explain", "CD301"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("CD301 key-mismatch");
    expect(r.stdout).toContain("How to fix");
  });

  test("explain <text> names the rules, most likely first", () => {
    const r = cli([
      "explain",
      "Error response from daemon: missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\. CD103 ca-saved-as-cert/);
    const json = JSON.parse(
      cli(["explain", "--format", "json", "x509: certificate signed by unknown authority"]).stdout,
    ) as { rules: Array<{ id: string }> };
    expect(json).toMatchObject({ version: 1, kind: "text", message: "x509: certificate signed by unknown authority" });
    expect(json.rules[0]!.id).toBe("CD201");
  });

  test("explain with unknown text still answers, and exits 1", () => {
    const r = cli(["explain", "the registry is sad today"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("What to do next");
  });

  test("explain without a query is a usage error", () => {
    expect(cli(["explain"]).code).toBe(2);
  });
});

describe("start-up", () => {
  function loaded(args: string[]): string[] {
    const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-trace-"));
    const file = path.join(dir, "imports.txt");
    try {
      const r = spawnSync(
        process.execPath,
        ["--import", path.join(REPO, "test/helpers/trace-imports.mjs"), CLI, ...args],
        {
          cwd: REPO,
          encoding: "utf8",
          env: { ...process.env, TRACE_IMPORTS_FILE: file },
        },
      );
      expect(r.status).toBe(args[0] === "examples/certs.d" ? 1 : 0);
      return readFileSync(file, "utf8").trim().split("\n");
    } finally {
      rmSync(dir, { recursive: true });
    }
  }
  const crypto = (urls: string[]) => urls.filter((u) => /@peculiar|reflect-metadata|pkijs|asn1js|tsyringe/.test(u));

  test("--help, --version, rules and explain load no crypto library", () => {
    expect(crypto(loaded(["--help"]))).toEqual([]);
    expect(crypto(loaded(["--version"]))).toEqual([]);
    expect(crypto(loaded(["rules"]))).toEqual([]);
    expect(crypto(loaded(["explain", "CD301"]))).toEqual([]);
    // The where answer for the registry an error names, with a sysroot's configuration read, loads none either.
    const text = 'Get "https://myreg:5000/v2/": x509: certificate signed by unknown authority';
    expect(crypto(loaded(["explain", text, "--sysroot", "fixtures/sysroots/where-config"]))).toEqual([]);
  });

  test("linting does (so the trace is meaningful)", () => {
    expect(crypto(loaded(["examples/certs.d"])).length).toBeGreaterThan(0);
  });
});

describe("rules table, explain ranking, usage errors and --help (issue 12)", () => {
  const rules = () => (JSON.parse(cli(["rules", "--format", "json"]).stdout) as RulesJson).rules;
  /** The CLI on a pseudo-terminal of `cols` columns (util-linux script), or null where script is missing. */
  const onTerminal = (cols: number, args: string[]): string | null => {
    const which = spawnSync("sh", ["-c", "command -v script"], { encoding: "utf8" });
    if (which.status !== 0) return null;
    const cmd = `stty cols ${cols}; ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${args.join(" ")}`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: REPO, encoding: "utf8" });
    return r.stdout.replace(/\r/g, "");
  };

  test("rules piped: a header row, every description whole (no …), runtimes 'all' or the short list", () => {
    const out = cli(["rules"]).stdout;
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SEVERITY\s+RUNTIMES\s+DESCRIPTION$/);
    expect(out).not.toContain("…\n");
    for (const r of rules()) {
      const line = lines.find((l) => l.startsWith(`${r.id} `))!;
      expect(line.endsWith(r.description)).toBe(true);
      const all = r.runtimes.length === 4;
      expect(line.split(/\s{2,}/)[3]).toBe(
        all
          ? "all"
          : r.runtimes
              .map(
                (x) => ({ docker: "docker", "docker-containerd": "dk-ctrd", containerd: "ctrd", podman: "podman" })[x],
              )
              .join(","),
      );
    }
    expect(lines.find((l) => l.startsWith("CD501 "))).toMatch(/\sdk-ctrd,ctrd\s/);
    expect(lines.find((l) => l.startsWith("CD510 "))).toMatch(/\sdocker,podman\s/);
  });

  test("rules on an 80-column terminal: nothing wider than 80, nothing cut (every description's words all there)", () => {
    const out = onTerminal(80, ["rules", "--no-color"]);
    if (out === null) return console.log("rules: script(1) not installed; the terminal-width check is skipped");
    const lines = out.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(out).not.toMatch(/…\n/);
    const flat = out.replace(/\s+/g, " ");
    for (const r of rules()) expect([r.id, flat.includes(r.description)]).toEqual([r.id, true]);
    const wide = onTerminal(160, ["rules", "--no-color"])!;
    expect(wide.split("\n")[0]).toMatch(/^ID\s+NAME\s+SEVERITY\s+RUNTIMES\s+DESCRIPTION$/);
    expect(Math.max(...wide.split("\n").map((l) => l.length))).toBeLessThanOrEqual(160);
  });

  test("explain of a text many rules explain: the 3 most likely, what to check for each, then 'N more: --all'", () => {
    const r = cli(["explain", "x509: certificate signed by unknown authority"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/The 3 most likely of (\d+) rules/);
    const total = Number(/of (\d+) rules/.exec(r.stdout)![1]);
    expect(r.stdout).toMatch(/ 1\. CD201 .*\n\s+check: /);
    expect(r.stdout).toContain(`${total - 3} more: --all`);
    expect(r.stdout).not.toMatch(/ 4\. CD/);
    const all = cli(["explain", "--all", "x509: certificate signed by unknown authority"]).stdout;
    expect(all).toMatch(new RegExp(` ${total}\\. CD\\d{3} `));
    expect(all).not.toContain("more: --all");
    const json = JSON.parse(
      cli(["explain", "--format", "json", "x509: certificate signed by unknown authority"]).stdout,
    ) as { rules: Array<{ id: string; rank: number; score: number; check: string }> };
    expect(json.rules).toHaveLength(total);
    expect(json.rules.slice(0, 3).map((x) => [x.id, x.rank])).toEqual([
      ["CD201", 1],
      ["CD106", 2],
      ["CD105", 3],
    ]);
    expect(json.rules[0]!.score).toBeGreaterThan(json.rules[total - 1]!.score);
  });

  test("explain of a podman line: the Go error as the message, the registry and image named, where suggested", () => {
    const r = cli([
      "explain",
      'Error: initializing source docker://myreg.example.com:5000/alpine:latest: pinging container registry myreg.example.com:5000: Get "https://myreg.example.com:5000/v2/": x509: certificate signed by unknown authority',
    ]);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "Message: x509: certificate signed by unknown authority",
      "About: registry myreg.example.com:5000, image myreg.example.com:5000/alpine:latest, from podman/skopeo/buildah (containers/image)",
    ]);
    // The where answer for it (test/explain/explain.test.ts checks its lines on a fixture sysroot).
    expect(r.stdout).toContain("\nDirectories read for myreg.example.com:5000 (built-in rules only; see --host):\n");
    expect(r.stdout).toContain("  certsd-lint where myreg.example.com:5000/alpine:latest shows every candidate");
  });

  test("explain of unknown text lists the closest texts with their rule ids (exit 1)", () => {
    const r = cli(["explain", "tls: could not find the PEM data in certificate input file"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /The closest texts it knows.*:\n {2}tls: failed to find any PEM data in certificate input {2}→ CD202/,
    );
  });

  test.each([
    [["rules", "--format", "yaml"], "rules", "--format must be one of table, json, markdown (got yaml)"],
    [["explain"], "explain", 'give a rule id (CD301) or an error text (quote it: "x509: …")'],
    [["inspect"], "inspect", "give one or more certificate or key files"],
    [["where"], "where", "give an image reference (myreg:5000/team/app:1.0), a registry (myreg:5000) or a login URL"],
    [["where", "--format", "xml", "myreg:5000"], "where", "--format must be one of text, json (got xml)"],
    [["rules", "extra"], "rules", "unexpected argument: extra"],
  ])("usage error %j: one line in the tool's voice, a pointer to --help, exit 2", (args, command, message) => {
    const r = cli(args);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      `certsd-lint: ${command}: ${message}\nRun 'certsd-lint ${command} --help' for usage.\n`,
    ]);
  });

  test("--help: the description once; the exit status names the threshold options and what they change", () => {
    const help = cli(["--help"]).stdout;
    expect(help.split("Lints certs.d trees").length - 1).toBe(1);
    const exit = help.slice(help.indexOf("Exit status:")).replace(/\s+/g, " ");
    expect(exit).toMatch(
      /1 a finding at --failure-threshold or more severe \(default error; warning or info make those fail too, none never fails\)/,
    );
    expect(exit).toMatch(/more warnings than --max-warnings/);
    expect(exit).toMatch(/--baseline-write exits 0/);
    expect(cli(["rules", "--help"]).stdout.split("List every rule").length - 1).toBe(1);
  });
});

test("explain on an 80-column terminal: wrapped under its indent, nothing wider than 80, nothing lost", () => {
  const which = spawnSync("sh", ["-c", "command -v script"], { encoding: "utf8" });
  if (which.status !== 0) return console.log("explain: script(1) not installed; the terminal-width check is skipped");
  const text = "x509: certificate signed by unknown authority";
  const cmd = `stty cols 80; ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} explain --no-color '${text}'`;
  const out = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: REPO, encoding: "utf8" }).stdout.replace(
    /\r/g,
    "",
  );
  const lines = out.trimEnd().split("\n");
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  expect(out.replace(/\s+/g, " ")).toBe(cli(["explain", text]).stdout.replace(/\s+/g, " "));
  expect(lines.find((l) => l.startsWith("   1. CD201 "))).toBeDefined();
  expect(lines[lines.indexOf(lines.find((l) => l.startsWith("   1. CD201 "))!) + 1]).toMatch(/^ {6}\S/);
});
