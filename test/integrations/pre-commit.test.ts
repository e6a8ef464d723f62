/**
 * The pre-commit hook, run by the real pre-commit (Debian's package) exactly as a user's repository would: the
 * README's snippet as .pre-commit-config.yaml, pointing at a git snapshot of this package, `pre-commit install`,
 * then `git commit`. pre-commit builds the hook's Node environment itself (npm install, npm pack, npm install -g),
 * which takes a while: this is the slowest test of the suite.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { NOW, REPO } from "../helpers/fixtures.js";

const hasPreCommit = spawnSync("pre-commit", ["--version"]).status === 0;
const hasGit = spawnSync("git", ["--version"]).status === 0;
if (!hasPreCommit || !hasGit)
  console.warn(
    `pre-commit test skipped: ${hasGit ? "" : "no git; "}${hasPreCommit ? "" : "no pre-commit (apt-get install pre-commit)"}`,
  );

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-pre-commit-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GIT_ENV = {
  GIT_AUTHOR_NAME: "certsd-lint test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "certsd-lint test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmp,
};
const env = { ...process.env, ...GIT_ENV, PRE_COMMIT_HOME: path.join(tmp, "pre-commit-home"), NO_COLOR: "1" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, encoding: "utf8" });

/** This package as it is now (committed or not), as a git repository pre-commit can clone. */
function snapshot(): { repo: string; rev: string } {
  const repo = path.join(tmp, "certsd-lint");
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: REPO,
    encoding: "utf8",
  })
    .split("\0")
    // What the hook's install needs: the sources and the build script (.ci/build.mjs, which `prepare` runs).
    .filter((f) => f && !/^(fixtures\/cases|test|bench)\//.test(f) && (!f.startsWith(".ci/") || f === ".ci/build.mjs"));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    cpSync(path.join(REPO, f), path.join(repo, f), { verbatimSymlinks: true });
  }
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "snapshot");
  return { repo, rev: git(repo, "rev-parse", "HEAD").trim() };
}

/** The README's pre-commit snippet (the YAML block after <!-- snippet: pre-commit -->). */
function readmeSnippet(name: string): string {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const m = new RegExp(`<!-- snippet: ${name} -->\\s*\`\`\`ya?ml\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no snippet ${name}`);
  return m[1]!;
}

const CASES = path.join(REPO, "fixtures", "cases");

/** The parts of the README's .pre-commit-config.yaml snippet that the test reads and changes. */
interface PreCommitConfig {
  repos: Array<{ repo: string; rev: string; hooks: Array<{ id: string; args?: string[] }> }>;
}
const HOST = "registry.example.com:5000";

(hasPreCommit && hasGit ? test : test.skip)(
  "the hook fails a commit that breaks a host directory and passes one that fixes it",
  () => {
    const { repo, rev } = snapshot();
    // The README's snippet, with this snapshot for the published repository, and a fixed clock for the fixtures.
    const config = parseYaml(readmeSnippet("pre-commit")) as PreCommitConfig;
    const entry = config.repos[0]!;
    const hook = entry.hooks[0]!;
    expect(hook.id).toBe("certsd-lint");
    entry.repo = repo;
    entry.rev = rev;
    hook.args = [...(hook.args ?? []), "--now", NOW];

    const work = path.join(tmp, "infra");
    mkdirSync(work);
    git(work, "init", "-q", "-b", "main");
    writeFileSync(path.join(work, ".pre-commit-config.yaml"), JSON.stringify(config, null, 2));
    writeFileSync(path.join(work, "README.md"), "node images\n");
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "start");
    execFileSync("pre-commit", ["install"], { cwd: work, env });

    const host = path.join(work, "files", "etc", "docker", "certs.d", HOST);
    mkdirSync(host, { recursive: true });
    // A bad commit: a client certificate without its key (CD101).
    cpSync(path.join(CASES, "cert-without-key", HOST), host, { recursive: true });
    git(work, "add", "-A");
    const bad = spawnSync("git", ["commit", "-m", "add registry certificates"], { cwd: work, env, encoding: "utf8" });
    const badOut = bad.stdout + bad.stderr;
    expect(bad.status).not.toBe(0);
    expect(badOut).toMatch(/certsd-lint\.+Failed/);
    expect(badOut).toContain("CD101");
    expect(badOut).toContain("missing key client.key for client certificate client.cert");
    expect(git(work, "rev-list", "--count", "HEAD").trim()).toBe("1");

    // The good commit: the key added, the pair matches.
    cpSync(path.join(CASES, "good", HOST, "client.key"), path.join(host, "client.key"));
    cpSync(path.join(CASES, "good", HOST, "client.cert"), path.join(host, "client.cert"));
    git(work, "add", "-A");
    const good = spawnSync("git", ["commit", "-m", "add registry certificates"], { cwd: work, env, encoding: "utf8" });
    expect([good.status, good.stdout + good.stderr]).toEqual([0, expect.stringMatching(/certsd-lint\.+Passed/)]);

    // Only the key changes, to one that does not match: pre-commit passes just client.key, and the whole host
    // directory is linted, so the mismatch with the unchanged client.cert is caught.
    cpSync(path.join(CASES, "key-mismatch", HOST, "client.key"), path.join(host, "client.key"));
    git(work, "add", "-A");
    const partial = spawnSync("git", ["commit", "-m", "rotate key"], { cwd: work, env, encoding: "utf8" });
    expect(partial.status).not.toBe(0);
    expect(partial.stdout + partial.stderr).toContain("CD301");
    expect(partial.stdout + partial.stderr).toContain("tls: private key does not match public key");
  },
  600_000,
);
