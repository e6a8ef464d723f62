/**
 * The README's CI snippets and the GitHub Action: the workflow and GitLab YAML parse and fit action.yml, and the
 * action's lint step really runs (bash, with the environment a runner gives it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { CLI, EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";
import type { SarifLog } from "../helpers/sarif.js";

/** The parts of the YAML and JSON files below that the tests read. */
interface ActionYaml {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; shell?: string; env?: Record<string, string> }> };
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  jobs: {
    "certsd-lint": {
      permissions: Record<string, string>;
      steps: Array<{ uses?: string; with?: Record<string, string>; if?: string }>;
    };
  };
}
interface GitlabCi {
  "certsd-lint": { image: string; script: string[]; artifacts: { reports: { junit: string }; when: string } };
}
interface PreCommitConfig {
  repos: Array<{ repo: string; rev: string; hooks: Array<{ id: string; args?: string[] }> }>;
}
type PreCommitHooks = Array<{ id: string; language: string; entry: string; files: string; require_serial?: boolean }>;

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-ci-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
function snippet(name: string): unknown {
  const m = new RegExp(`<!-- snippet: ${name} -->\\s*\`\`\`ya?ml\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no snippet ${name}`);
  return parseYaml(m[1]!, { strict: true, uniqueKeys: true });
}
const action = parseYaml(readFileSync(path.join(REPO, "action.yml"), "utf8"), {
  strict: true,
  uniqueKeys: true,
}) as ActionYaml;

describe("action.yml", () => {
  test("is a composite action whose steps use only the inputs it declares", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual([
      "args",
      "config",
      "failure-threshold",
      "format",
      "paths",
      "sarif-file",
    ]);
    const text = readFileSync(path.join(REPO, "action.yml"), "utf8");
    const used = [...text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const u of used) expect(Object.keys(action.inputs)).toContain(u);
    for (const [name, output] of Object.entries<{ value: string }>(action.outputs))
      expect(output.value).toBe(`\${{ steps.lint.outputs.${name} }}`);
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe("bash"); // composite run steps need a shell
  });

  const lintStep = () => action.runs.steps.find((s: { id?: string }) => s.id === "lint")!;
  function runLintStep(inputs: Record<string, string>) {
    const out = path.join(tmp, `github-output-${Math.random().toString(36).slice(2)}`);
    // What the runner does: inputs (with their defaults) become the step's env; GITHUB_ACTION_PATH is the checkout.
    const defaults = Object.fromEntries(
      Object.entries<{ default?: string }>(action.inputs).map(([k, v]) => [k, v.default ?? ""]),
    );
    const all = { ...defaults, ...inputs };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries<string>(lintStep().env!))
      env[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/, (_, name: string) => all[name] ?? "");
    // The runner's command line for `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
    const script = `${out}.sh`;
    writeFileSync(script, lintStep().run!);
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: tmp,
      encoding: "utf8",
      env: { PATH: process.env.PATH!, GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: out, ...env },
    });
    const outputs = Object.fromEntries(
      readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
  }

  test("its lint step annotates, writes SARIF and fails at the threshold", () => {
    const r = runLintStep({ paths: `${EXAMPLES}\n`, args: `--now ${NOW}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=CD201 crt-no-usable-certificate,file=/m);
    expect(r.outputs).toEqual({ "sarif-file": "certsd-lint.sarif", "exit-code": "1" });
    const sarif = JSON.parse(readFileSync(path.join(tmp, "certsd-lint.sarif"), "utf8")) as SarifLog;
    expect(sarif.runs[0]!.results.length).toBe(14);
  });

  test("with failure-threshold none it passes; a bad path is exit 2", () => {
    expect(
      runLintStep({ paths: EXAMPLES, args: `--now ${NOW}`, "failure-threshold": "none", "sarif-file": "" }),
    ).toMatchObject({ code: 0, outputs: { "exit-code": "0", "sarif-file": "" } });
    const bad = runLintStep({ paths: "/nonexistent/certs.d" });
    expect([bad.code, bad.stderr]).toEqual([2, "certsd-lint: /nonexistent/certs.d: no such file or directory\n"]);
  });
});

describe("README snippets", () => {
  test("GitHub Actions: a workflow that uses the action with inputs it has, then uploads its SARIF", () => {
    const wf = snippet("github-actions") as GithubWorkflow;
    expect(Object.keys(wf.on)).toContain("pull_request");
    const steps = wf.jobs["certsd-lint"].steps;
    const ours = steps.find((s) => s.uses?.startsWith("certsd-lint/certsd-lint@"))!;
    for (const k of Object.keys(ours.with!)) expect(Object.keys(action.inputs)).toContain(k);
    for (const [k, v] of Object.entries<{ required?: boolean }>(action.inputs))
      if (v.required) expect(Object.keys(ours.with!)).toContain(k);
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
    expect([upload.if, upload.with!.sarif_file]).toEqual(["always()", ours.with!["sarif-file"]]);
    expect(wf.jobs["certsd-lint"].permissions["security-events"]).toBe("write");
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@/);
  });

  test("GitLab CI: the job's command line works, and its JUnit file is the one the report collects", () => {
    const job = (snippet("gitlab-ci") as GitlabCi)["certsd-lint"];
    expect(job.image).toMatch(/^node:/);
    const command = job.script.find((l) => l.startsWith("certsd-lint "))!;
    const junit = /--format junit=(\S+)/.exec(command)![1]!;
    expect(job.artifacts.reports.junit).toBe(junit);
    expect(job.artifacts.when).toBe("always");
    // Run it, on the examples instead of the snippet's tree.
    const args = command.split(/\s+/).slice(1, -1);
    const r = spawnSync(process.execPath, [CLI, "--now", NOW, ...args, EXAMPLES], { cwd: tmp, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(readFileSync(path.join(tmp, junit), "utf8")).toContain('<testsuites name="certsd-lint"');
  });

  test("pre-commit: the snippet names the hook .pre-commit-hooks.yaml defines, and the hook runs this package's bin", () => {
    const hooks = parseYaml(readFileSync(path.join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as PreCommitHooks;
    const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect((snippet("pre-commit") as PreCommitConfig).repos[0]!.hooks.map((h: { id: string }) => h.id)).toEqual(
      hooks.map((h: { id: string }) => h.id),
    );
    expect(hooks[0]).toMatchObject({ id: "certsd-lint", language: "node", entry: "certsd-lint", require_serial: true });
    expect(Object.keys(pkg.bin)).toContain(hooks[0]!.entry);
    const files = new RegExp(hooks[0]!.files);
    expect(
      ["files/etc/docker/certs.d/reg:5000/ca.crt", "certs.d/reg:5000/client.key", "certs.d/reg/hosts.toml"].every((f) =>
        files.test(f),
      ),
    ).toBe(true);
    expect(["certs.d", "README.md", "roles/x/files/ca.crt"].some((f) => files.test(f))).toBe(false);
  });
});
