/** examples/README.md's table is what certsd-lint reports for examples/certs.d, directory by directory. */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { lintPaths } from "./helpers/rule-tester.js";
import { EXAMPLES, REPO } from "./helpers/fixtures.js";

const rows = readFileSync(path.join(REPO, "examples", "README.md"), "utf8")
  .split("\n")
  .map((l) => /^\| `([^`]+)` \| ([^|]+) \|[^|]+\| ([^|]+) \|$/.exec(l))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({
    host: m[1]!,
    failure: m[2]!.trim(),
    rules: m[3]!.trim() === "no finding" ? [] : m[3]!.trim().split(/,\s*/),
  }));

const findings = lintPaths([EXAMPLES]).findings;

test("the table covers every example directory, and ten field failures", () => {
  expect(rows.map((r) => r.host).sort()).toEqual(readdirSync(EXAMPLES).sort());
  expect(rows.filter((r) => /^R\d\d /.test(r.failure))).toHaveLength(10);
});

test.each(rows.map((r) => [r.host, r.rules] as const))("%s: exactly %j (infos aside)", (host, rules) => {
  const got = [
    ...new Set(findings.filter((f) => f.host === host && f.severity !== "info").map((f) => f.ruleId)),
  ].sort();
  expect(got).toEqual([...rules].sort());
});
