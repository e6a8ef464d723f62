/**
 * Every command a finding suggests, run as printed in a copy of the fixture's host directory, leaves the repaired
 * file in place: the finding it came with is gone afterwards (and nothing printed instead of saved).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { caseRoot, cleanupFixtures, MANIFEST } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-fixes-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

/** The commands in a message (`…` spans) that repair files of the host directory: bare names, no paths. */
function repairCommands(message: string): string[] {
  return [...message.matchAll(/`([^`]+)`/g)]
    .map((m) => m[1]!)
    .filter((c) => /^(openssl|iconv|sed) /.test(c) && !c.replace(/'[^']*'/g, "").includes("/"));
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

const cases = MANIFEST.filter((c) => c.ephemeral.length === 0).map((c) => c.id);
const suggestions = cases.flatMap((id) =>
  lintPaths([caseRoot(id)])
    .findings.filter((f) => f.file)
    .flatMap((f) =>
      repairCommands(f.message).map((command) => ({ id, host: f.host, file: f.file!, ruleId: f.ruleId, command })),
    ),
);

test("there are repair commands to try (DER, UTF-16, PKCS#7, BOM, indentation, TRUSTED CERTIFICATE …)", () => {
  expect(suggestions.length).toBeGreaterThanOrEqual(6);
});

test.each(suggestions.map((s) => [`${s.id}: ${s.ruleId} ${s.file}`, s] as const))(
  "%s: run as printed, it repairs the file",
  (_name, s) => {
    const root = path.join(tmp, `${s.id}-${s.ruleId}-${s.file}`.replace(/[^\w.-]/g, "_"));
    cpSync(path.join(caseRoot(s.id), s.host), path.join(root, s.host), { recursive: true, verbatimSymlinks: true });
    const dir = path.join(root, s.host);
    // As a user would, in the host directory: the command prints nothing it should have saved.
    expect(runAsUser(s.command, dir)).toBe("");
    const after = lintPaths([root]).findings.filter((f) => f.ruleId === s.ruleId && f.file === s.file);
    expect(after.map((f) => f.message)).toEqual([]);
  },
);
