/**
 * scan → material → runtimes → rules, for every host directory named by the paths. Pure apart from reading
 * the tree; never writes.
 */
import { decodeHost } from "../material/host.js";
import { dockerOutcome } from "../runtimes/docker.js";
import { type DockerEngine, dockerEngine } from "../runtimes/docker-engine.js";
import type { RuntimeId, RuntimeOutcome } from "../runtimes/types.js";
import { scanPaths } from "../scan/scan.js";
import type { HostDir, ScanResult } from "../scan/types.js";
import { docsUrl, type Finding, type FindingInput, type HostContext, type Rule } from "./rule.js";

export interface LintOptions {
  paths: readonly string[];
  rules: readonly Rule[];
  /** The clock every date check uses. */
  now: Date;
  /** Docker Engine version whose wording and Go build the docker model uses (default: current). */
  dockerVersion?: string;
  maxFileBytes?: number;
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

function lintHost(host: HostDir, rules: readonly Rule[], now: Date, engine: DockerEngine): { result: HostResult; findings: Finding[] } {
  const hostMaterial = decodeHost(host);
  const runtimes: Partial<Record<RuntimeId, RuntimeOutcome>> = { docker: dockerOutcome(hostMaterial, engine) };
  const ctx: HostContext = {
    host,
    hostMaterial,
    runtimes,
    now,
    entry: (name) => host.entries.find((e) => e.name === name),
    material: (entry) => hostMaterial.material.get(entry),
    verdict: (runtime, file) => runtimes[runtime]?.verdicts.get(file),
  };
  const findings: Finding[] = [];
  const reporter = (rule: Rule) => (f: FindingInput) => {
    findings.push({
      ruleId: rule.meta.id,
      name: rule.meta.name,
      severity: f.severity ?? rule.meta.severity,
      root: host.root,
      host: host.name,
      file: f.file ?? null,
      message: f.message,
      runtimeErrors: f.runtimeErrors ?? {},
      docsUrl: docsUrl(rule.meta),
    });
  };
  for (const rule of rules) rule.check(ctx, reporter(rule));
  for (const rule of rules) rule.after?.(ctx, [...findings], reporter(rule));
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
  const scan = scanPaths(options.paths, options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes });
  const engine = dockerEngine(options.dockerVersion);
  const hosts: HostResult[] = [];
  const findings: Finding[] = [];
  for (const host of scan.hosts) {
    const r = lintHost(host, options.rules, options.now, engine);
    hosts.push(r.result);
    findings.push(...r.findings);
  }
  findings.sort(compareFindings);
  return { hosts, findings, scan };
}
