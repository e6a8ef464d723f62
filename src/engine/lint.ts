/**
 * scan → material → runtimes → rules, for every host directory named by the paths. Pure apart from reading
 * the tree; never writes.
 */
import path from "node:path";
import { decodeHost, type HostMaterial } from "../material/host.js";
import { parseHostsToml } from "../material/hosts-toml.js";
import type { GoProfile } from "../material/go-profile.js";
import { runtimeGo, runtimeOutcome, runtimesForRoot, type RuntimeSettings, runtimeSettings } from "../runtimes/index.js";
import type { RuntimeId, RuntimeOutcome } from "../runtimes/types.js";
import { readFileAt, scanPaths } from "../scan/scan.js";
import type { Entry, HostDir, ScanOptions, ScanResult } from "../scan/types.js";
import { fingerprint } from "./fingerprint.js";
import CD000 from "../../rules/CD000-internal-error.js";
import { docsUrl, type Finding, type FindingInput, type HostContext, type Rule, type RuleMeta } from "./rule.js";

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export interface LintOptions {
  paths: readonly string[];
  rules: readonly Rule[];
  /** The clock every date check uses. */
  now: Date;
  /** Certificates expiring within this many days of `now` get a warning (default 30). */
  expiryWarningDays?: number;
  /** Docker Engine version whose wording and Go build the docker models use (default: current). */
  dockerVersion?: string;
  /** containerd release the containerd model follows (default: current). */
  containerdVersion?: string;
  /** The Go build of the podman/skopeo in use. */
  podmanGo?: GoProfile;
  /** Check exactly these runtimes, whatever the roots; default: by where each root lives. */
  runtimes?: readonly RuntimeId[];
  maxFileBytes?: number;
  /** Per-rule options from the configuration, already validated against each rule's meta.options. */
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
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

function checkUniqueIds(rules: readonly Rule[]): void {
  const seen = new Map<string, string>();
  for (const r of rules) {
    for (const key of [r.meta.id, r.meta.name]) {
      const other = seen.get(key);
      if (other) throw new Error(`rules ${other} and ${r.meta.id} share the ${key === r.meta.id ? "id" : "name"} ${key}`);
      seen.set(key, r.meta.id);
    }
  }
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

/** What a thrown value says, in one line, without a stack. */
function thrownText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split("\n")[0]!.slice(0, 500);
}

/** The finding for an exception: reported, never fatal to the other rules and hosts (issue: robustness). */
function fatalFinding(meta: RuleMeta, host: HostDir, what: string, e: unknown): Finding {
  const message = `Internal error: ${what} failed on this host directory (${thrownText(e)}), so its verdict here is unknown; the other rules and host directories were checked. Please report it, with the tree's layout (never its keys).`;
  return {
    ruleId: meta.id,
    name: meta.name,
    severity: "error",
    root: host.root,
    host: host.name,
    file: null,
    message,
    runtimeErrors: {},
    runtimes: [],
    docsUrl: docsUrl(meta),
    fingerprint: `fatal:${meta.id}:${host.name}`,
    fatal: true,
  };
}

function lintHost(
  host: HostDir,
  rules: readonly Rule[],
  now: Date,
  expiryWarningDays: number,
  settings: RuntimeSettings,
  selected: readonly RuntimeId[],
  scan: ScanOptions,
  ruleOptions: Readonly<Record<string, Record<string, unknown>>>,
): { result: HostResult; findings: Finding[] } {
  let hostMaterial: HostMaterial;
  const runtimes: Partial<Record<RuntimeId, RuntimeOutcome>> = {};
  try {
    hostMaterial = decodeHost(host, selected.some((r) => r === "containerd" || r === "docker-containerd") ? externalFiles(host, scan) : []);
    for (const id of selected) runtimes[id] = runtimeOutcome(id, hostMaterial, settings);
  } catch (e) {
    // Without material or models no rule can judge this directory: one fatal finding, and on to the next host.
    return {
      result: { root: host.root, name: host.name, path: host.path, runtimes: {}, files: host.entries.length },
      findings: [fatalFinding(CD000.meta, host, "reading the material or modelling the runtimes", e)],
    };
  }
  const ctx: HostContext = {
    host,
    hostMaterial,
    runtimes,
    now,
    expiryWarningDays,
    go: (runtime) => runtimeGo(runtime, settings),
    ruleOptions: (id) => ruleOptions[id] ?? {},
    entry: (name) => host.entries.find((e) => e.name === name),
    material: (entry) => hostMaterial.material.get(entry),
    verdict: (runtime, file) => runtimes[runtime]?.verdicts.get(file),
  };
  const findings: Finding[] = [];
  const hostMaterialOf = (file: string) => {
    const e = ctx.entry(file);
    return e ? hostMaterial.material.get(e) : undefined;
  };
  const order = (ids: RuntimeId[]) => selected.filter((r) => ids.includes(r));
  const reporter = (rule: Rule) => (f: FindingInput) => {
    const quoted = Object.keys(f.runtimeErrors ?? {}) as RuntimeId[];
    findings.push({
      ruleId: rule.meta.id,
      name: rule.meta.name,
      severity: f.severity ?? rule.meta.severity,
      root: host.root,
      host: host.name,
      file: f.file ?? null,
      message: f.message,
      runtimeErrors: Object.fromEntries(order(quoted).map((r) => [r, f.runtimeErrors![r]!])),
      runtimes: order(f.runtimes ?? (quoted.length ? quoted : [...selected])),
      docsUrl: docsUrl(rule.meta),
      fingerprint: fingerprint(rule.meta.id, host, f.file ?? null, f.file ? ctx.entry(f.file) : undefined, f.file ? hostMaterialOf(f.file) : undefined),
    });
  };
  for (const rule of rules) {
    try {
      rule.check(ctx, reporter(rule));
    } catch (e) {
      findings.push(fatalFinding(rule.meta, host, `${rule.meta.id} ${rule.meta.name}`, e));
    }
  }
  for (const rule of rules) {
    try {
      rule.after?.(ctx, [...findings], reporter(rule));
    } catch (e) {
      findings.push(fatalFinding(rule.meta, host, `${rule.meta.id} ${rule.meta.name}`, e));
    }
  }
  return {
    result: { root: host.root, name: host.name, path: host.path, runtimes, files: host.entries.length },
    findings,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    Buffer.compare(Buffer.from(a.root), Buffer.from(b.root)) ||
    Buffer.compare(Buffer.from(a.host), Buffer.from(b.host)) ||
    Buffer.compare(Buffer.from(a.file ?? ""), Buffer.from(b.file ?? "")) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

export function lint(options: LintOptions): LintResult {
  checkUniqueIds(options.rules);
  const scanOptions: ScanOptions = options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes };
  const scan = scanPaths(options.paths, scanOptions);
  const settings = runtimeSettings({
    ...(options.dockerVersion !== undefined ? { dockerVersion: options.dockerVersion } : {}),
    ...(options.containerdVersion !== undefined ? { containerdVersion: options.containerdVersion } : {}),
    ...(options.podmanGo !== undefined ? { podmanGo: options.podmanGo } : {}),
  });
  const hosts: HostResult[] = [];
  const findings: Finding[] = [];
  for (const host of scan.hosts) {
    const selected = options.runtimes ?? runtimesForRoot(host.root);
    const r = lintHost(host, options.rules, options.now, options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS, settings, selected, scanOptions, options.ruleOptions ?? {});
    hosts.push(r.result);
    findings.push(...r.findings);
  }
  findings.sort(compareFindings);
  return { hosts, findings, scan };
}
