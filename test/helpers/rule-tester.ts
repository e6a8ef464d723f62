/**
 * Lint fixture cases with the real rule set, as hadolint's `ruleCatches` / `ruleCatchesNot`: the whole pipeline
 * runs (scan, material, every runtime model, every rule), and the assertion looks at one rule's findings.
 * Fixture roots are not under /etc, so all four runtimes are checked unless `runtimes` says otherwise.
 */
import { resolveSettings, type SettingRequest } from "../../src/config/settings.js";
import type { Finding, Rule } from "../../src/engine/rule.js";
import { lint, type LintResult } from "../../src/engine/lint.js";
import type { RuntimeSettings } from "../../src/runtimes/registry.js";
import type { RuntimeId } from "../../src/runtimes/types.js";
import { RULES } from "../../rules/index.js";
import { caseRoot, NOW } from "./fixtures.js";

export interface LintSettings {
  dockerVersion?: string;
  containerdVersion?: string;
  runtimes?: RuntimeId[];
}

/**
 * The engine over some paths, with settings resolved as the CLI resolves them (the fixture clock by default), and
 * optionally releases of one's own for the runtime models.
 */
export function lintPaths(
  paths: string[],
  request: SettingRequest & { rules?: readonly Rule[]; runtime?: Partial<RuntimeSettings> } = {},
): LintResult {
  const { rules = RULES, runtime, ...rest } = request;
  const settings = resolveSettings({ now: new Date(NOW), ...rest });
  return lint({
    paths,
    rules,
    settings: runtime ? { ...settings, runtime: { ...settings.runtime, ...runtime } } : settings,
  });
}

export function lintCase(id: string, settings: LintSettings = {}): Finding[] {
  return lintPaths([caseRoot(id)], settings).findings;
}

export interface Expected {
  file?: string | null;
  severity?: Finding["severity"];
  host?: string;
  /** Docker's text (shorthand for errors.docker). */
  docker?: string;
  /** Each runtime's quoted text; runtimes left out must quote nothing. */
  errors?: Partial<Record<RuntimeId, string>>;
  /** The runtimes the finding says it affects. */
  runtimes?: RuntimeId[];
  /** A fragment the message must contain. */
  says?: string;
  /** The finding's kind of message. */
  messageId?: string;
  /** The command its fix gives. */
  command?: string;
}

export function caught(ruleId: string, caseId: string, settings: LintSettings = {}): Finding[] {
  return lintCase(caseId, settings).filter((f) => f.ruleId === ruleId);
}

export function expectCatches(ruleId: string, caseId: string, expected: Expected[], settings: LintSettings = {}): void {
  const got = caught(ruleId, caseId, settings);
  expect(got.map((f) => `${f.file}: ${f.message}`)).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    const g = got[i]!;
    if (e.file !== undefined) expect(g.file).toBe(e.file);
    if (e.severity) expect(g.severity).toBe(e.severity);
    if (e.host) expect(g.host).toBe(e.host);
    if (e.docker !== undefined) expect(g.runtimeErrors.docker).toBe(e.docker);
    if (e.errors) expect(g.runtimeErrors).toEqual(e.errors);
    if (e.runtimes) expect(g.runtimes).toEqual(e.runtimes);
    if (e.says) expect(g.message).toContain(e.says);
    if (e.messageId) expect(g.messageId).toBe(e.messageId);
    if (e.command) expect(g.fix?.command).toBe(e.command);
  });
}

export function expectCatchesNot(ruleId: string, caseId: string, settings: LintSettings = {}): void {
  expect(caught(ruleId, caseId, settings).map((f) => `${f.file}: ${f.message}`)).toEqual([]);
}
