/**
 * What a rule is: metadata a user can trust (which program says what, since when) and a check over the models.
 * A rule never reads or parses a file: it looks at the scanned tree, the decoded material and each runtime's
 * outcome, and reports.
 */
import type { GoProfile } from "../material/go-profile.js";
import type { FileMaterial } from "../material/material.js";
import type { HostMaterial } from "../material/host.js";
import { inRegistryOrder, isRuntimeId, RUNTIME_IDS } from "../runtimes/registry.js";
import type { HostSettings } from "../runtimes/roots.js";
import type { EntryVerdict, RuntimeId, RuntimeOutcome } from "../runtimes/types.js";
import type { Entry, HostDir } from "../scan/types.js";

export type Severity = "error" | "warning" | "info";

/** Every severity, most severe first. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** What a configuration or `--rule` may set a rule to: a severity, or off. */
export type RuleSetting = Severity | "off";

export const RULE_SETTINGS: readonly RuleSetting[] = ["off", "info", "warning", "error"];

/** What fails a run: a severity and every more severe one, or nothing. */
export type FailureThreshold = Severity | "none";

export const FAILURE_THRESHOLDS: readonly FailureThreshold[] = [...SEVERITIES, "none"];

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
  /**
   * The runtimes whose outcomes the rule judges, in registry order. `defineRule` fills in every runtime when a rule
   * leaves it out; the engine runs a rule only where one of them is checked, and shows it only those.
   */
  runtimes: readonly RuntimeId[];
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

/** What to do about a finding. */
export interface FixAdvice {
  /** What to do, as a sentence; when a command follows, the sentence introduces it (and ends with ":"). */
  text: string;
  /**
   * A shell command that, run as printed in the host directory, leaves the repaired file in place (a test runs every
   * one). Never prints instead of saving; never names a private key's bytes.
   */
  command?: string;
}

export interface FindingInput {
  /** The entry the finding is about; omitted for findings about the host directory itself. */
  file?: string;
  /** What is wrong, in one line of at most 100 characters, without a final full stop. */
  headline?: string;
  /** Why it matters: what each runtime does with it, and the background (shown by `--verbose`). */
  why?: string;
  /** What to do: a sentence, and a command where there is one. */
  fix?: FixAdvice;
  /**
   * The kind of message, ESLint-style (`der-certificate`, `utf16`): stable, kebab-case, so tests and tools can tell
   * the variants of one rule apart without reading sentences. Absent when a rule has one kind.
   */
  messageId?: string;
  /**
   * The older single-text form, for plugins written before headline/why/fix: it becomes the headline (and the
   * message). A finding gives a headline or a message.
   */
  message?: string;
  /** The runtime errors this finding explains, verbatim. */
  runtimeErrors?: Partial<Record<RuntimeId, string>>;
  /**
   * Runtimes whose text in runtimeErrors is certsd-lint's wording of what the program says, not its exact words (a
   * rarer go-toml mistake whose text is not known): every report says so.
   */
  reworded?: RuntimeId[];
  /** The runtimes the problem affects; default: those quoted in runtimeErrors, else every runtime checked. */
  runtimes?: RuntimeId[];
  /** When the finding's severity depends on the situation (e.g. the only CA file vs one of several). */
  severity?: Severity;
}

/**
 * What a rule sees of one host directory. It is restricted to the rule's runtimes: `runtimes`, `checked` and
 * `verdict` cover only the runtimes the rule declares that this run checks; `others` names the remaining checked
 * runtimes, for wording only ("containerd does read it").
 */
export interface HostContext {
  host: HostDir;
  hostMaterial: HostMaterial;
  runtimes: Partial<Record<RuntimeId, RuntimeOutcome>>;
  /** The runtimes in `runtimes`, in the run's order. */
  checked: readonly RuntimeId[];
  /** Checked runtimes the rule does not judge. */
  others: readonly RuntimeId[];
  now: Date;
  /** Certificates that expire within this many days of `now` are reported as expiring soon. */
  expiryWarningDays: number;
  /** The host's context (roots found, daemon.json, config.toml, registries.conf), when the run discovered it. */
  system: HostSettings | null;
  /** --sysroot, when given. */
  sysroot: string | null;
  /** The Go build of a runtime's handshakes (what verifies the registry's certificate). */
  go(runtime: RuntimeId): GoProfile;
  /** The options the configuration sets for a rule (validated against its meta.options), or {}. */
  ruleOptions(ruleId: string): Record<string, unknown>;
  entry(name: string): Entry | undefined;
  material(entry: Entry): FileMaterial | undefined;
  /** The runtime's verdict on one entry, if that runtime is checked (and judged by the rule). */
  verdict(runtime: RuntimeId, file: string): EntryVerdict | undefined;
  /**
   * A fact about this host directory (src/facts/): computed once per host and runtime scope, then shared by every
   * rule that asks for it.
   */
  fact<T>(compute: (ctx: HostContext) => T): T;
}

/**
 * What a rule sees of a certs root itself: the files directly in it (no runtime reads those: every loader lists only
 * `<root>/<host>/`) and the host directories found beside them. Findings from it have host "" and file the name.
 */
export interface RootContext {
  root: string;
  /** Entries directly in the root that are not host directories, in byte order. */
  files: readonly Entry[];
  /** The host directories scanned in this root. */
  hosts: readonly HostDir[];
  /** The runtimes checked for this root that the rule declares. */
  checked: readonly RuntimeId[];
}

/** A rule as written: `runtimes` may be left out (every runtime). */
export interface RuleDefinition {
  meta: Omit<RuleMeta, "runtimes"> & { runtimes?: readonly RuntimeId[] };
  check: Rule["check"];
  after?: Rule["after"];
  checkRoot?: Rule["checkRoot"];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: HostContext, report: (f: FindingInput) => void): void;
  /** Runs after every rule's check, with the host's findings so far (for rules about what others left unsaid). */
  after?(ctx: HostContext, findings: readonly Finding[], report: (f: FindingInput) => void): void;
  /** Runs once per certs root walked, on the files directly in it (report with `file` set). */
  checkRoot?(ctx: RootContext, report: (f: FindingInput) => void): void;
}

export interface Finding {
  ruleId: string;
  name: string;
  severity: Severity;
  /** The certs root and the host directory's name within it. */
  root: string;
  host: string;
  file: string | null;
  /** What is wrong, in one line. */
  headline: string;
  /** Why it matters (absent for plugin findings that give only a message). */
  why?: string;
  fix?: FixAdvice;
  messageId?: string;
  /** The whole explanation in one text: the headline, why and fix joined (what older consumers read). */
  message: string;
  runtimeErrors: Partial<Record<RuntimeId, string>>;
  /** Runtimes whose runtimeErrors text is not the program's exact words (absent when all are). */
  reworded?: RuntimeId[];
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

/** The longest headline a built-in rule may give (a test checks every one on every fixture). */
export const HEADLINE_MAX = 100;

/** A fix in one text: the sentence, then the command in backticks. */
export function fixText(fix: FixAdvice): string {
  return fix.command ? `${fix.text} \`${fix.command}\`.` : fix.text;
}

/** The parts of a finding joined into the one text older consumers read as its message. */
export function joinedMessage(parts: Pick<Finding, "headline" | "why" | "fix">): string {
  const head = /[.!?:]$/.test(parts.headline) ? parts.headline : `${parts.headline}.`;
  return [head, parts.why, parts.fix && fixText(parts.fix)].filter(Boolean).join(" ");
}

export function docsUrl(meta: RuleMeta): string {
  return meta.docs ?? `docs/rules/${meta.id}.md`;
}

/** Rule ids: two to eight capital letters and three digits. CD is certsd-lint's own; plugins bring their own prefix. */
export const RULE_ID = /^[A-Z]{2,8}\d{3}$/;

/** Why a rule cannot be used as written, or null: what defineRule and plugin loading both check. */
export function ruleProblem(meta: { id?: unknown; name?: unknown; runtimes?: unknown }): string | null {
  if (typeof meta.id !== "string" || !RULE_ID.test(meta.id))
    return `rule id ${String(meta.id)} is not of the form ABC123 (two to eight capitals, three digits)`;
  if (typeof meta.name !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(meta.name))
    return `rule name ${String(meta.name)} is not kebab-case`;
  if (
    meta.runtimes !== undefined &&
    (!Array.isArray(meta.runtimes) ||
      meta.runtimes.length === 0 ||
      meta.runtimes.some((r) => typeof r !== "string" || !isRuntimeId(r)))
  ) {
    return `${meta.id}: meta.runtimes must list runtimes among ${RUNTIME_IDS.join(", ")} (or be left out: every runtime)`;
  }
  return null;
}

/** A rule, checked, with its runtimes filled in (every runtime when left out) and put in registry order. */
export function defineRule(rule: RuleDefinition): Rule {
  const problem = ruleProblem(rule.meta);
  if (problem) throw new Error(problem);
  return { ...rule, meta: { ...rule.meta, runtimes: inRegistryOrder(rule.meta.runtimes ?? RUNTIME_IDS) } };
}

/**
 * A set of rules whose ids and names are all distinct, or the first clash: the built-in set (rules/index.ts), the
 * engine's input and plugins with the built-ins all check it here.
 */
export function ruleClash(rules: ReadonlyArray<Pick<RuleMeta, "id" | "name">>): string | null {
  const seen = new Map<string, string>();
  for (const r of rules) {
    for (const key of [r.id, r.name]) {
      const other = seen.get(key);
      if (other !== undefined) return `rules ${other} and ${r.id} share the ${key === r.id ? "id" : "name"} ${key}`;
      seen.set(key, r.id);
    }
  }
  return null;
}
