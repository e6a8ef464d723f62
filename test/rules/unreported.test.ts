/**
 * The rules for problems nothing reported before (issue 12): their fix commands, run as printed in a copy of the
 * host directory, leave the repaired tree in place and the finding gone. fix-commands.test.ts runs only the
 * openssl/iconv/sed repairs; these are file moves.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { caseRoot, cleanupFixtures } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const H = "registry.example.com:5000";
const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-unreported-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

/** A copy of a case's certs root, outside the repository. */
function copyCase(id: string): string {
  const root = path.join(tmp, id);
  cpSync(caseRoot(id), root, { recursive: true, verbatimSymlinks: true });
  return root;
}

function run(command: string, cwd: string): string {
  return execFileSync("sh", ["-c", command], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("CD511 hosts-toml-is-directory", () => {
  test.each([
    ["hosts-toml-directory", "file"],
    ["hosts-toml-empty-directory", "absent"],
  ])("%s: the command printed repairs it", (id, after) => {
    const root = copyCase(id);
    const [finding] = lintPaths([root]).findings.filter((f) => f.ruleId === "CD511");
    expect(finding?.fix?.command).toBeDefined();
    expect(run(finding!.fix!.command!, path.join(root, H))).toBe("");
    const toml = path.join(root, H, "hosts.toml");
    if (after === "file") expect(statSync(toml).isFile()).toBe(true);
    else expect(() => statSync(toml)).toThrow();
    const left = lintPaths([root]).findings.filter((f) => f.ruleId === "CD511" || f.ruleId === "CD001");
    expect(left).toEqual([]);
    // containerd then loads the directory: the good client pair and CA (with the moved hosts.toml naming the server).
    expect(lintPaths([root]).hosts[0]!.runtimes.containerd?.status).toBe("ok");
  });
});
