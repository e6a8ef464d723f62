/**
 * What a person sees: stylish on the bundled example tree at 80 and 120 columns (COLUMNS, as when piped), one line
 * per part without a width, --quiet and --verbose; and the pieces the layout is built from (wrapping, commands that
 * still run when pasted, the order findings are shown in).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { wrap, wrapCommand } from "../../src/report/stylish.js";
import { cli } from "../helpers/cli.js";
import { deployKeys, EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";

/** The output with this checkout's path replaced (the README excerpt and the terminal test use it). */
const stylish = (args: string[], env: Record<string, string> = {}) =>
  cli(["--now", NOW, ...args, EXAMPLES], { env }).stdout.replaceAll(REPO, "<repo>");

/**
 * The snapshots lint a copy of the example tree at a path of fixed length (/tmp/certsd-snap-XXXXXX/certs.d): the
 * runtimes' texts quote absolute paths, and where they wrap must not depend on where the checkout is. Its keys are
 * 0600, as deployed (outside git a 0644 key is CD121).
 */
const snapDir = mkdtempSync("/tmp/certsd-snap-");
cpSync(EXAMPLES, path.join(snapDir, "certs.d"), { recursive: true, verbatimSymlinks: true });
deployKeys(snapDir);
afterAll(() => rmSync(snapDir, { recursive: true, force: true }));
const snapshot = (args: string[], env: Record<string, string> = {}) =>
  cli(["--now", NOW, ...args, "certs.d"], { env, cwd: snapDir }).stdout.replaceAll(snapDir, "/tmp/certsd-snap");

describe("examples/certs.d", () => {
  test.each([80, 120])("at %i columns: every line fits, and it reads as the snapshot", (columns) => {
    const out = snapshot([], { COLUMNS: String(columns) });
    const lines = out.trimEnd().split("\n");
    expect(lines.filter((l) => [...l].length > columns)).toEqual([]);
    expect(out).toMatchSnapshot();
  });

  test("piped, its lines are exactly: the root, a line per host (more only where runtimes differ), a line per part", () => {
    // The old layout printed 90 lines here: four runtime lines for every host, whatever they did. Now a host whose
    // runtimes agree is one line, and each finding is its headline, its distinct runtime texts and its fix.
    const report = JSON.parse(cli(["--now", NOW, "-f", "json", EXAMPLES]).stdout) as {
      hosts: unknown[];
      findings: Array<{ runtimeErrors: Record<string, string>; fix?: unknown }>;
    };
    const lines = stylish([]).trimEnd().split("\n");
    const parts = report.findings.reduce(
      (n, f) => n + 1 + new Set(Object.values(f.runtimeErrors)).size + (f.fix ? 1 : 0),
      0,
    );
    const groupLines = lines.filter((l) => /^ {2}[✔✖⚠–?] /.test(l)).length;
    const hostsAlone = lines.filter((l) => /^\S+$/.test(l) && l !== "examples/certs.d").length; // hosts whose runtimes differ
    expect(lines.length).toBe(1 + report.hosts.length + groupLines + parts + 2); // root, hosts, groups, parts, blank, summary
    expect(hostsAlone).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(90);
  });

  test("piped without COLUMNS: one line per part (a headline, each runtime text, the fix), nothing wrapped", () => {
    const out = snapshot([]);
    expect(out).toMatchSnapshot();
    // Every runtime text is whole on one line, so grep finds it.
    expect(out).toMatch(
      /^ {4}⮕ docker stops here: missing key ca\.key for client certificate ca\.cert\. CA certificates must use the extension \.crt$/m,
    );
    expect(out).toMatch(
      /^ {4}fix: .*openssl x509 -inform der -in ca\.crt -out ca\.crt\.pem && mv ca\.crt\.pem ca\.crt$/m,
    );
  });

  test("--quiet: only host directories with findings at or above the failure threshold", () => {
    const quiet = snapshot(["--quiet"]);
    expect(quiet).not.toContain("registry.example.com:5000 "); // the healthy one
    expect(quiet).not.toMatch(/^ {2}warning|^ {2}info/m);
    expect(quiet).not.toContain("registry.example.com:443"); // only a warning there
    expect(stylish(["--quiet", "--failure-threshold", "warning"])).toContain("registry.example.com:443");
    expect(quiet).toMatchSnapshot();
  });

  test("--verbose adds each finding's why, its rule's name and page", () => {
    const verbose = snapshot(["--verbose"], { COLUMNS: "100" });
    expect(verbose).toMatch(/^ {4}why: /m);
    expect(verbose).toContain("CD103 ca-saved-as-cert");
    expect(verbose).toContain("see docs/rules/CD103.md");
    expect(verbose).toMatchSnapshot();
  });

  test("--quiet and --verbose together are a usage error", () => {
    const r = cli(["--quiet", "--verbose", EXAMPLES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/quiet.*verbose|verbose.*quiet/);
  });
});

test("the README's excerpt is what it prints at 80 columns (chunks between … lines, in order)", () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const m = /<!-- snippet: stylish -->\s*```\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  const out = stylish([], { COLUMNS: "80" });
  let from = 0;
  for (const chunk of m![1]!.split(/^…\n/m)) {
    const at = out.indexOf(chunk, from);
    expect([chunk, at >= 0]).toEqual([chunk, true]);
    from = at + chunk.length;
  }
});

test("a runtime text certsd-lint words itself says so, in stylish as in JSON", () => {
  // A lone CR inside a string: go-toml stops on it with words certsd-lint does not know exactly.
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-reworded-"));
  try {
    const host = path.join(dir, "certs.d", "registry.example.com");
    execFileSync("mkdir", ["-p", host]);
    writeFileSync(path.join(host, "hosts.toml"), 'server = "https://registry.example.com\r"\n');
    const root = path.join(dir, "certs.d");
    const json = JSON.parse(cli(["--runtime", "containerd", "-f", "json", root]).stdout) as {
      findings: Array<{ ruleId: string; reworded?: string[] }>;
    };
    expect(json.findings.find((f) => f.ruleId === "CD501")?.reworded).toEqual(["containerd"]);
    expect(cli(["--runtime", "containerd", root]).stdout).toMatch(
      /^ {4}containerd says \(in certsd-lint's words, not verbatim\): level=error msg="failed to decode /m,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("on a terminal", () => {
  test("it wraps to the terminal's width (stty cols 80 under script(1))", () => {
    const hasScript = (() => {
      try {
        execFileSync("script", ["--version"], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    })();
    if (!hasScript) {
      console.log("stylish terminal test skipped: no script(1) (apt-get install bsdutils)");
      return;
    }
    const out = spawnSync(
      "script",
      [
        "-qec",
        `stty cols 80; ${process.execPath} ${path.join(REPO, "dist/src/cli/main.js")} --no-color --now ${NOW} certs.d`,
        "/dev/null",
      ],
      { encoding: "utf8", cwd: snapDir, env: { ...process.env, COLUMNS: "", NO_COLOR: "1" } },
    )
      .stdout.replaceAll("\r", "")
      .replaceAll(snapDir, "/tmp/certsd-snap");
    const lines = out.trimEnd().split("\n");
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    expect(out).toBe(snapshot([], { COLUMNS: "80" }));
  });
});

describe("layout pieces", () => {
  test("wrap: words into lines of at most the width, the first and the rest indented as asked", () => {
    expect(wrap("one two three four five", 12, "  ", "    ")).toEqual([
      "  one two",
      "    three",
      "    four",
      "    five",
    ]);
    expect(wrap("one two", undefined, "> ", "")).toEqual(["> one two"]);
    // A word longer than the line stays whole on a line of its own.
    expect(wrap("a /very/long/path/name b", 10, "", "")).toEqual(["a", "/very/long/path/name", "b"]);
  });

  test("wrapCommand: a long command breaks after && or with a trailing backslash, and still runs when pasted", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-wrap-"));
    try {
      writeFileSync(path.join(dir, "in.txt"), "x\n");
      const command = "cp in.txt out-with-a-rather-long-name.txt && mv out-with-a-rather-long-name.txt final.txt";
      const lines = wrapCommand(command, 40, "  ");
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.every((l) => l.length <= 40 || !l.trim().includes(" "))).toBe(true);
      expect(lines.slice(0, -1).every((l) => l.endsWith(" \\") || l.endsWith("&&"))).toBe(true);
      // What a user pastes: the printed lines, as they are.
      execFileSync("sh", ["-c", lines.join("\n")], { cwd: dir });
      expect(execFileSync("cat", ["final.txt"], { cwd: dir, encoding: "utf8" })).toBe("x\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
