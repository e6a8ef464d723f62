/**
 * Lint fixture cases with the real rule set, as hadolint's `ruleCatches` / `ruleCatchesNot`: the whole pipeline
 * runs (scan, material, runtimes, every rule), and the assertion looks at one rule's findings.
 */
import type { Finding } from "../../src/engine/rule.js";
import { lint } from "../../src/engine/lint.js";
import { RULES } from "../../rules/index.js";
import { caseRoot, NOW } from "./fixtures.js";

export function lintCase(id: string, dockerVersion?: string): Finding[] {
  return lint({ paths: [caseRoot(id)], rules: RULES, now: new Date(NOW), ...(dockerVersion ? { dockerVersion } : {}) }).findings;
}

export interface Expected {
  file?: string | null;
  severity?: Finding["severity"];
  host?: string;
  docker?: string;
  /** A fragment the message must contain. */
  says?: string;
}

/** Findings of `ruleId` on the case, shaped for comparison with Expected. */
export function caught(ruleId: string, caseId: string, dockerVersion?: string): Array<Required<Pick<Expected, "file" | "severity" | "host">> & { docker?: string; message: string }> {
  return lintCase(caseId, dockerVersion)
    .filter((f) => f.ruleId === ruleId)
    .map((f) => ({ file: f.file, severity: f.severity, host: f.host, message: f.message, ...(f.runtimeErrors.docker ? { docker: f.runtimeErrors.docker } : {}) }));
}

export function expectCatches(ruleId: string, caseId: string, expected: Expected[], dockerVersion?: string): void {
  const got = caught(ruleId, caseId, dockerVersion);
  expect(got.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const g = got[i]!;
    if (e.file !== undefined) expect(g.file).toBe(e.file);
    if (e.severity) expect(g.severity).toBe(e.severity);
    if (e.host) expect(g.host).toBe(e.host);
    if (e.docker !== undefined) expect(g.docker).toBe(e.docker);
    if (e.says) expect(g.message).toContain(e.says);
  });
}

export function expectCatchesNot(ruleId: string, caseId: string): void {
  expect(caught(ruleId, caseId)).toEqual([]);
}
