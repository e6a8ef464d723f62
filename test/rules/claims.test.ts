/**
 * A finding never speaks for a runtime the models cannot judge on that directory. Docker's containerd store before
 * Docker 28 (its BuildKit had a loader of its own) is undetermined for every directory: no finding may list it, quote
 * it or name it in its message ("Docker's containerd store skips it" where the outcome says "cannot be predicted").
 */
import type { RuntimeId } from "../../src/runtimes/types.js";
import { RUNTIMES } from "../../src/runtimes/registry.js";
import { caseRoot, cleanupFixtures, MANIFEST } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

afterAll(cleanupFixtures);

const SETTINGS = [
  {},
  { dockerVersion: "20.10" },
  { dockerVersion: "27" },
  { containerdVersion: "1.6" },
  { podmanVersion: "4.3" },
];
// Committed trees only: the FIFO and endless-device cases are judged in their own tests.
const CASES = MANIFEST.filter((c) => c.ephemeral.length === 0).map((c) => c.id);

/** "containerd" must not match inside "Docker's containerd store". */
function names(message: string, runtime: RuntimeId): boolean {
  const name = RUNTIMES[runtime].name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const other = runtime === "containerd" ? "(?<!Docker's )" : "";
  return new RegExp(`${other}\\b${name}\\b${runtime === "containerd" ? "(?! store)" : ""}`).test(message);
}

test.each(SETTINGS)(
  "no finding speaks for a runtime whose outcome is undetermined for the whole directory: %j",
  (settings) => {
    const claims: string[] = [];
    let undeterminedSeen = 0;
    for (const id of CASES) {
      const r = lintPaths([caseRoot(id)], settings);
      for (const h of r.hosts) {
        const silent = (Object.keys(h.runtimes) as RuntimeId[]).filter(
          (rt) => h.runtimes[rt]!.status === "undetermined" && h.runtimes[rt]!.verdicts.size === 0,
        );
        undeterminedSeen += silent.length;
        for (const f of r.findings.filter((x) => x.host === h.name && x.root === h.root)) {
          for (const rt of silent) {
            if (f.runtimes.includes(rt) || rt in f.runtimeErrors || names(f.message, rt))
              claims.push(`${id} ${f.ruleId} ${rt}: ${f.message.slice(0, 120)}`);
          }
        }
      }
    }
    expect(claims).toEqual([]);
    // Docker before 28 leaves the containerd store unmodelled: the test has something to check there.
    if ("dockerVersion" in settings) expect(undeterminedSeen).toBeGreaterThan(100);
  },
);
