/**
 * Internal errors: an exception inside a rule becomes a fatal finding for that rule and host, and everything else
 * is still checked; an exception while decoding or modelling becomes CD000 for that host.
 */
import { lintPaths } from "../helpers/rule-tester.js";
import type { GoProfile } from "../../src/material/go-profile.js";
import { defineRule } from "../../src/engine/rule.js";
import { RULES } from "../../rules/index.js";
import { caseRoot, cleanupFixtures, EXAMPLES, NOW } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const now = new Date(NOW);

test("a rule that throws on one host: a fatal finding there, its findings elsewhere, every other rule intact", () => {
  const flaky = defineRule({
    meta: { id: "ZZ001", name: "flaky", severity: "warning", description: "throws on harbor", runtimes: ["docker"] },
    check(ctx, report) {
      if (ctx.host.name === "harbor.example.com") throw new RangeError("index 7 out of range");
      report({ message: "seen" });
    },
  });
  const all = lintPaths([EXAMPLES], { now }).findings;
  const withFlaky = lintPaths([EXAMPLES], { rules: [...RULES, flaky], now }).findings;
  const fatal = withFlaky.filter((f) => f.fatal);
  expect(fatal.map((f) => [f.ruleId, f.host, f.severity, f.file])).toEqual([
    ["ZZ001", "harbor.example.com", "error", null],
  ]);
  expect(fatal[0]!.message).toContain(
    "Internal error: ZZ001 flaky failed on this host directory (RangeError: index 7 out of range)",
  );
  expect(withFlaky.filter((f) => f.ruleId === "ZZ001" && !f.fatal)).toHaveLength(10); // the other ten hosts
  expect(withFlaky.filter((f) => !f.ruleId.startsWith("ZZ"))).toEqual(all);
});

test("a failure while decoding or modelling a host: CD000 there, the other hosts still judged", () => {
  // A Go build that cannot be asked anything: the podman model throws as soon as it needs it.
  const broken = new Proxy(
    {},
    {
      get: () => {
        throw new Error("no such Go build");
      },
    },
  ) as GoProfile;
  const r = lintPaths([caseRoot("ca-negative-serial"), caseRoot("key-x25519"), EXAMPLES], {
    now,
    runtime: { podman: { version: "5", go: broken } },
    runtimes: ["docker", "podman"],
  });
  const fatal = r.findings.filter((f) => f.fatal);
  expect(fatal.length).toBeGreaterThan(0);
  const cd000 = fatal.filter((f) => f.ruleId === "CD000");
  expect(cd000.length).toBeGreaterThan(0);
  for (const f of cd000)
    expect(f.message).toContain(
      "Internal error: reading the material or modelling the runtimes failed on this host directory (Error: no such Go build)",
    );
  // Every host is still in the report, with its own outcome or its fatal finding.
  expect(r.hosts.length).toBe(13);
});
