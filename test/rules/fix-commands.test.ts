/**
 * Every command a finding suggests, run as printed in a copy of the fixture's host directory, leaves the repaired
 * file in place: the finding it came with is gone afterwards (and nothing printed instead of saved). The commands are
 * the findings' `fix.command`s and, for findings that still give only a message, the `…` spans in it; host
 * findings' commands (renaming the host directory) are run in it as well. The copy is linted again before the
 * command is taken, so a command that names an absolute path names the copy's.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import type { Finding } from "../../src/engine/rule.js";
import os from "node:os";
import path from "node:path";
import { caseRoot, cleanupFixtures, MANIFEST } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-fixes-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * The commands a finding gives: its fix's, and the `…` spans of its message that repair files of the host directory
 * (bare names, no paths; the spans of a fix's command are the same command).
 */
function repairCommands(f: Finding): string[] {
  const spans = [...f.message.matchAll(/`([^`]+)`/g)]
    .map((m) => m[1]!)
    .filter((c) => /^(openssl|iconv|sed) /.test(c) && !c.replace(/'[^']*'/g, "").includes("/"));
  return [...new Set([...(f.fix?.command ? [f.fix.command] : []), ...spans])];
}

/** A command as a user types it at a terminal: under a pseudo-terminal, the fixtures' key passphrase typed in. */
function runAsUser(command: string, cwd: string): string {
  if (!command.includes("openssl pkey")) {
    return execFileSync("sh", ["-c", command], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
  }
  // openssl asks /dev/tty for the passphrase ("secret": fixtures/key-formats.ts); script(1) gives it one. The answer
  // is typed once the prompt is up: openssl flushes what was typed before it turns echo off.
  const typed = `(sleep 1; echo secret) | script -qec '${command}' /dev/null`;
  execFileSync("sh", ["-c", typed], { cwd, encoding: "utf8", timeout: 30_000 });
  return "";
}

/** The same finding (rule, host, file) in another lint of the same tree. */
const same = (a: Finding, b: { ruleId: string; host: string; file: string | null }): boolean =>
  a.ruleId === b.ruleId && a.host === b.host && a.file === b.file;

const cases = MANIFEST.filter((c) => c.ephemeral.length === 0).map((c) => c.id);
const suggestions = cases.flatMap((id) => {
  const findings = lintPaths([caseRoot(id)]).findings;
  // k: the command's place among the commands of the findings in the same place (rule, host, file).
  return findings.flatMap((f, n) => {
    const earlier = findings
      .slice(0, n)
      .filter((g) => same(g, f))
      .flatMap(repairCommands).length;
    return repairCommands(f).map((command, i) => ({
      id,
      host: f.host,
      file: f.file,
      ruleId: f.ruleId,
      n,
      k: earlier + i,
      command,
    }));
  });
});

test("there are repair commands to try (DER, UTF-16, PKCS#7, BOM, indentation, TRUSTED CERTIFICATE, renames …)", () => {
  expect(suggestions.length).toBeGreaterThanOrEqual(6);
  expect(suggestions.filter((s) => s.command.startsWith("mv ")).length).toBeGreaterThanOrEqual(1);
});

test.each(suggestions.map((s) => [`${s.id}: ${s.ruleId} ${s.host} ${s.file ?? ""}`, s] as const))(
  "%s: run as printed, it repairs the file",
  (_name, s) => {
    const root = path.join(tmp, `${s.id}-${s.ruleId}-${s.n}-${s.k}`.replace(/[^\w.-]/g, "_"));
    cpSync(path.join(caseRoot(s.id), s.host), path.join(root, s.host), { recursive: true, verbatimSymlinks: true });
    const dir = path.join(root, s.host);
    // What the copy's finding says (absolute paths name the copy), in the same place.
    const before = lintPaths([root]).findings.filter((f) => same(f, s));
    expect(before.length).toBeGreaterThan(0);
    const command = before.flatMap(repairCommands)[s.k] ?? "";
    expect(command.split(root).join(caseRoot(s.id))).toBe(s.command);
    // As a user would, in the host directory (in the certs root when the host's path is not a directory): the command
    // prints nothing it should have saved.
    const cwd = statSync(dir).isDirectory() ? dir : root;
    expect(runAsUser(command, cwd)).toBe("");
    const after = lintPaths([root]).findings.filter((f) => same(f, s));
    expect(after.map((f) => f.message)).toEqual([]);
  },
);
