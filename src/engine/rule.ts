/**
 * What a rule is: metadata a user can trust (which program says what, since when) and a check over the models.
 * A rule never reads or parses a file: it looks at the scanned tree, the decoded material and each runtime's
 * outcome, and reports.
 */
import type { GoProfile } from "../material/go-profile.js";
import type { FileMaterial } from "../material/material.js";
import type { HostMaterial } from "../material/host.js";
import type { EntryVerdict, RuntimeId, RuntimeOutcome } from "../runtimes/types.js";
import type { Entry, HostDir } from "../scan/types.js";

export type Severity = "error" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export interface RuleMeta {
  /**
   * Stable, never reused: CD0xx engine, CD1xx tree and names, CD2xx PEM and parsing, CD3xx client key pairs,
   * CD4xx X.509 content, CD5xx hosts.toml, CD6xx host context, CD7xx live.
   */
  id: string;
  /** kebab-case */
  name: string;
  severity: Severity;
  /** One line, for `rules` listings. */
  description: string;
  runtimes: RuntimeId[];
  /**
   * What the real program prints for this problem, verbatim, with <c>, <k> and <path> standing for the bare
   * certificate name, key name and absolute path. Absent when the program says nothing (a silent failure).
   */
  programText?: Partial<Record<RuntimeId, string>>;
  /** Where the rule's page is, when it is not docs/rules/<id>.md of this package (plugins). */
  docs?: string;
  /** Options a configuration may set for this rule (`"rules": {"CD403": ["warning", {"days": 45}]}`). */
  options?: Record<string, RuleOptionSpec>;
}

export interface RuleOptionSpec {
  type: "integer" | "string";
  minimum?: number;
  description: string;
}

export interface FindingInput {
  /** The entry the finding is about; omitted for findings about the host directory itself. */
  file?: string;
  message: string;
  /** The runtime errors this finding explains, verbatim. */
  runtimeErrors?: Partial<Record<RuntimeId, string>>;
  /** The runtimes the problem affects; default: those quoted in runtimeErrors, else every runtime checked. */
  runtimes?: RuntimeId[];
  /** When the finding's severity depends on the situation (e.g. the only CA file vs one of several). */
  severity?: Severity;
}

export interface HostContext {
  host: HostDir;
  hostMaterial: HostMaterial;
  runtimes: Partial<Record<RuntimeId, RuntimeOutcome>>;
  now: Date;
  /** Certificates that expire within this many days of `now` are reported as expiring soon. */
  expiryWarningDays: number;
  /** The Go build of a runtime's handshakes (what verifies the registry's certificate). */
  go(runtime: RuntimeId): GoProfile;
  /** The options the configuration sets for a rule (validated against its meta.options), or {}. */
  ruleOptions(ruleId: string): Record<string, unknown>;
  entry(name: string): Entry | undefined;
  material(entry: Entry): FileMaterial | undefined;
  /** The runtime's verdict on one entry, if that runtime is checked. */
  verdict(runtime: RuntimeId, file: string): EntryVerdict | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: HostContext, report: (f: FindingInput) => void): void;
  /** Runs after every rule's check, with the host's findings so far (for rules about what others left unsaid). */
  after?(ctx: HostContext, findings: readonly Finding[], report: (f: FindingInput) => void): void;
}

export interface Finding {
  ruleId: string;
  name: string;
  severity: Severity;
  /** The certs root and the host directory's name within it. */
  root: string;
  host: string;
  file: string | null;
  message: string;
  runtimeErrors: Partial<Record<RuntimeId, string>>;
  /** The runtimes (among those checked) the problem affects. */
  runtimes: RuntimeId[];
  docsUrl: string;
  /**
   * Stable across runs while the rule, the place and the content it judged stay the same (baselines, SARIF
   * partialFingerprints). Built from public material only: never from private key bytes.
   */
  fingerprint: string;
  /**
   * Set when the finding reports an internal error: a rule (or, for CD000, the decoding or a runtime model) threw
   * on this host directory. Its severity is error, and the run exits 2. The other rules and hosts were checked.
   */
  fatal?: true;
}

export function docsUrl(meta: RuleMeta): string {
  return meta.docs ?? `docs/rules/${meta.id}.md`;
}

/** Rule ids: two to eight capital letters and three digits. CD is certsd-lint's own; plugins bring their own prefix. */
export const RULE_ID = /^[A-Z]{2,8}\d{3}$/;

export function defineRule<R extends Rule>(rule: R): R {
  if (!RULE_ID.test(rule.meta.id)) throw new Error(`rule id ${rule.meta.id} is not of the form ABC123 (two to eight capitals, three digits)`);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.meta.name)) throw new Error(`rule name ${rule.meta.name} is not kebab-case`);
  return rule;
}
