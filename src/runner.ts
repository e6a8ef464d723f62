/**
 * One lint run as the CLI and the API both do it: configuration (discovered, or given), plugins, the rules it
 * leaves on, the lint itself, then the configuration's policy (severities, ignores, baseline), into the JSON report.
 * Problems with the input throw UsageError, ConfigError, PluginError or ScanError, which the CLI turns
 * into one line and exit 2.
 */
import path from "node:path";
import { ConfigError, type Config, discoverConfig, emptyConfig, readConfigFile, rawPlugins, resolveRule, type RuleSetting, validateConfig } from "./config/config.js";
import { loadPlugins, PluginError } from "./config/plugins.js";
import { DEFAULT_EXPIRY_WARNING_DAYS, lint as lintTree, type LintResult } from "./engine/lint.js";
import { applyPolicy, type Baseline } from "./engine/policy.js";
import type { Rule, RuleMeta } from "./engine/rule.js";
import { countBySeverity, type JsonReport, toJsonReport } from "./report/json.js";
import { containerdRelease, DEFAULT_CONTAINERD_VERSION } from "./runtimes/containerd-release.js";
import { DEFAULT_DOCKER_VERSION, dockerEngine } from "./runtimes/docker-engine.js";
import { RUNTIME_IDS, type RuntimeId } from "./runtimes/types.js";
import { ScanError } from "./scan/scan.js";
import { toolInfo } from "./version.js";
import { RULES } from "../rules/index.js";

export class UsageError extends Error {}

export interface RunRequest {
  paths: readonly string[];
  /** Directory for discovery and relative paths (default: process.cwd()). */
  cwd?: string;
  now?: Date;
  /** A file to read, false for none, an object to use as is (API), undefined to discover one. */
  config?: string | false | Record<string, unknown>;
  /** Per-rule severities that win over the configuration's (the CLI's --rule). */
  ruleSettings?: Record<string, string>;
  runtimes?: RuntimeId[] | null;
  dockerVersion?: string;
  containerdVersion?: string;
  expiryWarningDays?: number;
  baseline?: Baseline | null;
  /** Zero host directories is a usage problem unless this is set. */
  allowEmpty?: boolean;
}

export interface RunResult {
  report: JsonReport;
  config: Config;
  /** Every rule known to the run (built-in and plugins), whether or not it was switched off. */
  rules: RuleMeta[];
  lint: LintResult;
  suppressed: { ignored: number; baseline: number };
}

async function loadConfig(req: RunRequest, cwd: string): Promise<{ config: Config; plugins: Rule[] }> {
  if (req.config === false) return { config: emptyConfig(cwd), plugins: [] };
  let raw: unknown;
  let file: string;
  if (typeof req.config === "object") {
    raw = req.config;
    file = `${cwd}/(api config)`;
  } else {
    const found = req.config ?? discoverConfig(req.paths, cwd);
    if (!found) return { config: emptyConfig(cwd), plugins: [] };
    file = found;
    raw = readConfigFile(found);
  }
  const dir = typeof req.config === "object" ? cwd : path.dirname(path.resolve(file));
  const pluginSpecs = rawPlugins(raw, file);
  const plugins = await loadPlugins(pluginSpecs, dir);
  const metas = [...RULES, ...plugins].map((r) => r.meta);
  // Ids and names are unique across built-in and plugin rules (the engine would refuse the set otherwise).
  const taken = new Set(RULES.flatMap((r) => [r.meta.id, r.meta.name]));
  const builtIn = new Set(taken);
  for (const p of plugins) {
    for (const key of [p.meta.id, p.meta.name]) {
      if (builtIn.has(key)) throw new PluginError(pluginSpecs.join(", "), `rule ${p.meta.id} (${p.meta.name}) clashes with a built-in rule`);
      if (taken.has(key)) throw new PluginError(pluginSpecs.join(", "), `rule ${key === p.meta.id ? "id" : "name"} ${key} is defined twice`);
      taken.add(key);
    }
  }
  const config = validateConfig(raw, file, metas);
  if (typeof req.config === "object") {
    config.source = null;
    config.dir = cwd;
  }
  return { config, plugins };
}

export interface Prepared {
  config: Config;
  rules: Rule[];
  /** The settings in effect: request, then configuration, then defaults. */
  effective: { dockerVersion: string; containerdVersion: string; expiryWarningDays: number; runtimes: RuntimeId[] | null };
}

/** The configuration and rules a request resolves to (what --print-config shows). */
export async function prepare(req: RunRequest): Promise<Prepared> {
  const cwd = req.cwd ?? process.cwd();
  const { config, plugins } = await loadConfig(req, cwd);
  const all = [...RULES, ...plugins];
  const metas = all.map((r) => r.meta);
  for (const [key, setting] of Object.entries(req.ruleSettings ?? {})) {
    const id = resolveRule(key, metas);
    if (!id) throw new UsageError(`--rule ${key}=${setting}: no rule "${key}"; certsd-lint rules lists them`);
    if (!["off", "info", "warning", "error"].includes(setting)) throw new UsageError(`--rule ${key}=${setting}: the setting must be off, info, warning or error`);
    config.rules[id] = setting as RuleSetting;
  }
  return {
    config,
    rules: all,
    effective: {
      dockerVersion: req.dockerVersion ?? config.dockerVersion ?? DEFAULT_DOCKER_VERSION,
      containerdVersion: req.containerdVersion ?? config.containerdVersion ?? DEFAULT_CONTAINERD_VERSION,
      expiryWarningDays: req.expiryWarningDays ?? config.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
      runtimes: req.runtimes ?? config.runtimes ?? null,
    },
  };
}

export async function runLint(req: RunRequest): Promise<RunResult> {
  const now = req.now ?? new Date();
  const { config, rules: all, effective } = await prepare(req);
  const metas = all.map((r) => r.meta);
  const { dockerVersion, containerdVersion, expiryWarningDays, runtimes } = effective;
  try {
    dockerEngine(dockerVersion);
  } catch (e) {
    throw new UsageError(`--docker-version: ${(e as Error).message}`);
  }
  try {
    containerdRelease(containerdVersion);
  } catch (e) {
    throw new UsageError(`--containerd-version: ${(e as Error).message}`);
  }
  if (runtimes) for (const r of runtimes) if (!RUNTIME_IDS.includes(r)) throw new UsageError(`unknown runtime ${r}; choose from ${RUNTIME_IDS.join(", ")}`);
  const active = all.filter((r) => config.rules[r.meta.id] !== "off");
  const result = lintTree({
    paths: req.paths,
    rules: active,
    now,
    expiryWarningDays,
    dockerVersion,
    containerdVersion,
    ruleOptions: config.ruleOptions,
    ...(runtimes ? { runtimes } : {}),
  });
  if (result.hosts.length === 0 && !req.allowEmpty) throw new UsageError(`no host directories found in ${req.paths.join(", ")}`);
  const policy = applyPolicy(result.findings, config, metas, now, req.baseline ?? null, { hosts: result.scan.hosts });
  const report = toJsonReport({ ...result, findings: policy.findings }, toolInfo(), {
    now,
    expiryWarningDays,
    dockerVersion,
    containerdVersion,
    runtimes,
    config: config.source,
    suppressed: policy.suppressed,
  });
  return { report, config, rules: metas, lint: result, suppressed: policy.suppressed };
}

/** The exit status a report earns: 1 when a finding reaches the threshold, or warnings exceed the maximum. */
export function gateStatus(report: JsonReport, threshold: "error" | "warning" | "info" | "none", maxWarnings: number): 0 | 1 {
  const c = countBySeverity(report.findings);
  const over = threshold === "none" ? 0 : threshold === "error" ? c.error : threshold === "warning" ? c.error + c.warning : c.error + c.warning + c.info;
  if (over > 0) return 1;
  if (maxWarnings >= 0 && c.warning > maxWarnings) return 1;
  return 0;
}

export { ConfigError, PluginError, ScanError };
