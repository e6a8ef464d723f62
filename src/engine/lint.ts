/**
 * The pipeline: scan → material → runtimes → rules, for every host directory named by the paths. Pure apart from
 * reading the tree; never writes. Which runtimes a host is checked for, and which of them each rule sees, is
 * decided here (a rule declares its runtimes; zlint's CheckApplies before Execute).
 */
import path from "node:path";
import { decodeHost, type HostMaterial } from "../material/host.js";
import { parseHostsToml } from "../material/hosts-toml.js";
import { RUNTIMES, runtimesForRoot, type RuntimeSettings } from "../runtimes/registry.js";
import type { RuntimeId, RuntimeOutcome } from "../runtimes/types.js";
import { readFileAt, scanPaths } from "../scan/scan.js";
import type { Entry, HostDir, ScanOptions, ScanResult } from "../scan/types.js";
import { fingerprint } from "./fingerprint.js";
import { fatalFinding, INTERNAL_ERROR } from "./internal-error.js";
import {
  docsUrl,
  type Finding,
  type FindingInput,
  type HostContext,
  joinedMessage,
  type Rule,
  ruleClash,
} from "./rule.js";
import { lintRoots } from "./roots.js";

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

/** Everything a lint run is told, resolved once (src/config/settings.ts: flags, then configuration, then defaults). */
export interface LintSettings {
  /** The clock every date check uses. */
  now: Date;
  /** Certificates expiring within this many days of `now` get a warning. */
  expiryWarningDays: number;
  /** Check exactly these runtimes, whatever the roots; null: by where each root lives. */
  runtimes: readonly RuntimeId[] | null;
  /** The releases the models follow: Docker Engine, containerd, containers/image. */
  runtime: RuntimeSettings;
  /** Per-rule options from the configuration, already validated against each rule's meta.options. */
  ruleOptions: Readonly<Record<string, Record<string, unknown>>>;
  /** Bytes read at most per file (default: the scan's). */
  maxFileBytes?: number;
  /** --sysroot: every path lies inside this directory, and symbolic links are followed inside it. */
  sysroot?: string;
}

export interface LintOptions {
  paths: readonly string[];
  rules: readonly Rule[];
  settings: LintSettings;
}

export interface HostResult {
  root: string;
  name: string;
  path: string;
  runtimes: Partial<Record<RuntimeId, RuntimeOutcome>>;
  files: number;
}

export interface LintResult {
  hosts: HostResult[];
  findings: Finding[];
  scan: ScanResult;
}

/**
 * Files outside the host directory that its hosts.toml names: read now, so the runtime models stay pure. Every
 * containerd release's reading is considered (a key known to one release is unknown, hence ignored, to another).
 */
function externalFiles(host: HostDir, scan: ScanOptions): Entry[] {
  const toml = host.entries.find((e) => e.name === "hosts.toml");
  if (toml?.content.status !== "read") return [];
  const paths = new Set<string>();
  for (const features of [
    { referrers: true, dialTimeout: true },
    { referrers: false, dialTimeout: false },
  ]) {
    const parsed = parseHostsToml(toml.content.data, host.path, features);
    if (!parsed.ok) continue;
    for (const ep of parsed.endpoints) {
      for (const p of [...(ep.caCerts ?? []), ...(ep.clientPairs ?? []).flat()]) {
        if (p !== "" && path.dirname(path.resolve(p)) !== host.path) paths.add(path.resolve(p));
      }
    }
  }
  return [...paths].sort().map((p) => readFileAt(p, scan));
}

/** The host's facts, per runtime scope: markdownlint's shared cache, so that each is computed once per host. */
type FactCache = Map<string, Map<(ctx: HostContext) => unknown, unknown>>;

/** The context one rule sees: the host, restricted to the checked runtimes the rule declares. */
function ruleContext(
  base: Omit<HostContext, "runtimes" | "checked" | "others" | "verdict" | "fact">,
  all: Partial<Record<RuntimeId, RuntimeOutcome>>,
  selected: readonly RuntimeId[],
  rule: Rule,
  cache: FactCache,
): HostContext {
  // A runtime whose model cannot say anything about this directory (no verdict at all: Docker's containerd store
  // before v28, whose BuildKit had a loader of its own) is in the report, but no rule judges it or speaks for it.
  const judged = selected.filter((r) => !(all[r]?.status === "undetermined" && all[r].verdicts.size === 0));
  const checked = judged.filter((r) => rule.meta.runtimes.includes(r));
  const others = judged.filter((r) => !checked.includes(r));
  const runtimes: Partial<Record<RuntimeId, RuntimeOutcome>> = {};
  for (const r of checked) runtimes[r] = all[r];
  const scope = checked.join(",");
  let facts = cache.get(scope);
  if (!facts) cache.set(scope, (facts = new Map<(ctx: HostContext) => unknown, unknown>()));
  const memo = facts;
  const ctx: HostContext = {
    ...base,
    runtimes,
    checked,
    others,
    verdict: (runtime, file) => runtimes[runtime]?.verdicts.get(file),
    fact<T>(compute: (c: HostContext) => T): T {
      if (memo.has(compute)) return memo.get(compute) as T;
      const value = compute(ctx);
      memo.set(compute, value);
      return value;
    },
  };
  return ctx;
}

function lintHost(
  host: HostDir,
  rules: readonly Rule[],
  settings: LintSettings,
  selected: readonly RuntimeId[],
  scan: ScanOptions,
): { result: HostResult; findings: Finding[] } {
  let hostMaterial: HostMaterial;
  const runtimes: Partial<Record<RuntimeId, RuntimeOutcome>> = {};
  const result = (): HostResult => ({
    root: host.root,
    name: host.name,
    path: host.path,
    runtimes,
    files: host.entries.length,
  });
  try {
    const readsHostsToml = selected.some((r) => RUNTIMES[r].family === "containerd");
    hostMaterial = decodeHost(host, readsHostsToml ? externalFiles(host, scan) : []);
    for (const id of selected) runtimes[id] = RUNTIMES[id].outcome(hostMaterial, settings.runtime);
  } catch (e) {
    // Without material or models no rule can judge this directory: one fatal finding, and on to the next host.
    for (const id of Object.keys(runtimes)) delete runtimes[id as RuntimeId];
    return {
      result: result(),
      findings: [fatalFinding(INTERNAL_ERROR, host, "reading the material or modelling the runtimes", e)],
    };
  }
  const material = hostMaterial.material;
  // Names shown as text can repeat (bytes that are not UTF-8 show as U+FFFD): the first entry keeps the name.
  const byName = new Map<string, Entry>();
  for (const e of host.entries) if (!byName.has(e.name)) byName.set(e.name, e);
  const base = {
    host,
    hostMaterial,
    now: settings.now,
    expiryWarningDays: settings.expiryWarningDays,
    system: settings.runtime.host ?? null,
    sysroot: settings.sysroot ?? null,
    go: (runtime: RuntimeId) => RUNTIMES[runtime].go(settings.runtime),
    ruleOptions: (id: string) => settings.ruleOptions[id] ?? {},
    entry: (name: string) => byName.get(name),
    material: (entry: Entry) => material.get(entry),
  };
  const cache: FactCache = new Map();
  const findings: Finding[] = [];
  const order = (ids: readonly RuntimeId[]) => selected.filter((r) => ids.includes(r));
  const reporter = (rule: Rule, ctx: HostContext) => (f: FindingInput) => {
    const quoted = Object.keys(f.runtimeErrors ?? {}) as RuntimeId[];
    const entry = f.file ? byName.get(f.file) : undefined;
    findings.push({
      ruleId: rule.meta.id,
      name: rule.meta.name,
      severity: f.severity ?? rule.meta.severity,
      root: host.root,
      host: host.name,
      file: f.file ?? null,
      ...findingText(f),
      runtimeErrors: Object.fromEntries(order(quoted).map((r) => [r, f.runtimeErrors![r]!])),
      ...(f.reworded?.some((r) => quoted.includes(r))
        ? { reworded: order(f.reworded.filter((r) => quoted.includes(r))) }
        : {}),
      runtimes: order(f.runtimes ?? (quoted.length ? quoted : ctx.checked)),
      docsUrl: docsUrl(rule.meta),
      fingerprint: fingerprint(rule.meta.id, host, f.file ?? null, entry, entry ? material.get(entry) : undefined),
    });
  };
  // A rule applies where one of its runtimes is checked; it sees only those.
  const applying = rules.flatMap((rule) => {
    const ctx = ruleContext(base, runtimes, selected, rule, cache);
    return ctx.checked.length ? [{ rule, ctx, report: reporter(rule, ctx) }] : [];
  });
  for (const { rule, ctx, report } of applying) {
    try {
      rule.check(ctx, report);
    } catch (e) {
      findings.push(fatalFinding(rule.meta, host, `${rule.meta.id} ${rule.meta.name}`, e));
    }
  }
  for (const { rule, ctx, report } of applying) {
    if (!rule.after) continue;
    try {
      rule.after(ctx, [...findings], report);
    } catch (e) {
      findings.push(fatalFinding(rule.meta, host, `${rule.meta.id} ${rule.meta.name}`, e));
    }
  }
  return { result: result(), findings };
}

/** A finding's parts as reported: headline, why, fix and message id when given, and the joined message. */
function findingText(f: FindingInput): Pick<Finding, "headline" | "why" | "fix" | "messageId" | "message"> {
  if (f.headline === undefined) {
    if (typeof f.message !== "string") throw new Error("a finding needs a headline (or, in the older form, a message)");
    return { headline: f.message, message: f.message };
  }
  const parts = {
    headline: f.headline,
    ...(f.why ? { why: f.why } : {}),
    ...(f.fix ? { fix: f.fix.command ? { text: f.fix.text, command: f.fix.command } : { text: f.fix.text } } : {}),
  };
  return { ...parts, ...(f.messageId ? { messageId: f.messageId } : {}), message: joinedMessage(parts) };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    Buffer.compare(Buffer.from(a.root), Buffer.from(b.root)) ||
    Buffer.compare(Buffer.from(a.host), Buffer.from(b.host)) ||
    Buffer.compare(Buffer.from(a.file ?? ""), Buffer.from(b.file ?? "")) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

export function lint(options: LintOptions): LintResult {
  const clash = ruleClash(options.rules.map((r) => r.meta));
  if (clash) throw new Error(clash);
  const { settings } = options;
  const scanOptions: ScanOptions = {
    ...(settings.maxFileBytes === undefined ? {} : { maxFileBytes: settings.maxFileBytes }),
    ...(settings.sysroot === undefined ? {} : { confine: settings.sysroot }),
  };
  const scan = scanPaths(options.paths, scanOptions);
  const hosts: HostResult[] = [];
  const findings: Finding[] = [];
  for (const host of scan.hosts) {
    const selected = settings.runtimes ?? runtimesForRoot(host.root, settings.runtime.host);
    const r = lintHost(host, options.rules, settings, selected, scanOptions);
    hosts.push(r.result);
    findings.push(...r.findings);
  }
  findings.push(...lintRoots(scan, options.rules, settings.runtimes, findingText));
  findings.sort(compareFindings);
  return { hosts, findings, scan };
}
