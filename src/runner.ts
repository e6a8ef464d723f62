/**
 * One lint run as the CLI and the API both do it: configuration (discovered, or given), plugins, the rules it
 * leaves on, the lint itself, then the configuration's policy (severities, ignores, baseline), into the JSON report.
 * Problems with the input throw UsageError, ConfigError, PluginError or ScanError, which the CLI turns
 * into one line and exit 2.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { discoverHost, type HostDiscovery, rootsToLint } from "./host/discover.js";
import { namesToResolve, resolveNames } from "./host/resolve.js";
import { contextReport, noRootsMessage } from "./report/context.js";
import {
  ConfigError,
  type Config,
  discoverConfig,
  emptyConfig,
  readConfigFile,
  rawPlugins,
  resolveRule,
  validateConfig,
} from "./config/config.js";
import { loadPlugins, PluginError } from "./config/plugins.js";
import { applyPolicy, type Baseline } from "./config/policy.js";
import { resolveSettings, type SettingRequest, type Settings, UsageError, withHostContext } from "./config/settings.js";
import { compareFindings, lint as lintTree, type LintResult } from "./engine/lint.js";
import {
  type FailureThreshold,
  type Rule,
  ruleClash,
  type RuleMeta,
  RULE_SETTINGS,
  type RuleSetting,
  SEVERITIES,
} from "./engine/rule.js";
import { countBySeverity, type JsonReport, toJsonReport } from "./report/json.js";
import { ScanError } from "./scan/scan.js";
import { toolInfo } from "./version.js";
import { RULES } from "../rules/index.js";
import { lintBuildkitdConfig } from "../rules/CD609-buildx-ignores-certs-d.js";
import { goProfile } from "./material/go-profile.js";

export interface RunRequest extends SettingRequest {
  paths: readonly string[];
  /** Directory for discovery and relative paths (default: process.cwd()). */
  cwd?: string;
  /** A file to read, false for none, an object to use as is (API), undefined to discover one. */
  config?: string | false | Record<string, unknown>;
  /** Per-rule severities that win over the configuration's (the CLI's --rule). */
  ruleSettings?: Record<string, string>;
  baseline?: Baseline | null;
  /** Zero host directories is a usage problem unless this is set. */
  allowEmpty?: boolean;
  /** Discover the host's certs roots and configuration (also when no path is given). */
  host?: boolean;
  /** Discover them inside this directory (an image of another machine's `/`); implies host. */
  sysroot?: string;
  /** --buildkitd-config: check this buildkitd.toml's [registry."host"] ca and keypair files (CD609). */
  buildkitdConfig?: string;
}

export interface RunResult {
  report: JsonReport;
  config: Config;
  settings: Settings;
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
  const builtIn = new Set(RULES.flatMap((r) => [r.meta.id, r.meta.name]));
  const clashing = plugins.find((p) => builtIn.has(p.meta.id) || builtIn.has(p.meta.name));
  if (clashing)
    throw new PluginError(
      pluginSpecs.join(", "),
      `rule ${clashing.meta.id} (${clashing.meta.name}) clashes with a built-in rule`,
    );
  const twice = ruleClash(plugins.map((p) => p.meta));
  if (twice) throw new PluginError(pluginSpecs.join(", "), twice);
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
  settings: Settings;
}

/** The configuration, rules and settings a request resolves to (what --print-config shows). */
export async function prepare(req: RunRequest): Promise<Prepared> {
  const cwd = req.cwd ?? process.cwd();
  const { config, plugins } = await loadConfig(req, cwd);
  const all = [...RULES, ...plugins];
  const metas = all.map((r) => r.meta);
  for (const [key, setting] of Object.entries(req.ruleSettings ?? {})) {
    const id = resolveRule(key, metas);
    if (!id) throw new UsageError(`--rule ${key}=${setting}: no rule "${key}"; certsd-lint rules lists them`);
    if (!RULE_SETTINGS.includes(setting as RuleSetting))
      throw new UsageError(
        `--rule ${key}=${setting}: the setting must be ` +
          `${RULE_SETTINGS.join(", ").replace(/, ([^,]*)$/, " or $1")}`,
      );
    config.rules[id] = setting as RuleSetting;
  }
  return { config, rules: all, settings: resolveSettings(req, config) };
}

/** Host discovery, when the request asks for it (--host, --sysroot, or no path at all). */
function discover(req: RunRequest, settings: Settings): HostDiscovery | null {
  if (!req.host && req.sysroot === undefined && req.paths.length > 0) return null;
  if (req.sysroot !== undefined && !isDirectory(req.sysroot))
    throw new UsageError(`--sysroot ${req.sysroot}: not a directory`);
  return discoverHost({
    sysroot: req.sysroot ?? null,
    docker: settings.runtime.docker,
    containerdVersion: settings.runtime.containerd.version,
  });
}

/** The discovery with what the registry names in the Docker roots resolve to (dockerd's insecure-registry gate). */
async function withAddresses(d: HostDiscovery | null): Promise<HostDiscovery | null> {
  if (!d) return null;
  const addresses = await resolveNames(namesToResolve(d), d.sysroot);
  return { ...d, settings: { ...d.settings, addresses } };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function runLint(req: RunRequest): Promise<RunResult> {
  const prepared = await prepare(req);
  const { config, rules: all } = prepared;
  let { settings } = prepared;
  const metas = all.map((r) => r.meta);
  const active = all.filter((r) => config.rules[r.meta.id] !== "off");
  const host = await withAddresses(discover(req, settings));
  const context = host ? contextReport(host) : undefined;
  let paths = req.paths;
  if (host) {
    settings = withHostContext(settings, host);
    const roots = rootsToLint(host);
    if (roots.length === 0 && req.paths.length === 0 && req.buildkitdConfig === undefined)
      throw new UsageError(noRootsMessage(context!));
    paths = [...req.paths, ...roots];
  }
  const result = lintTree({ paths, rules: active, settings });
  if (req.buildkitdConfig !== undefined && active.some((r) => r.meta.id === "CD609")) {
    // buildkitd's Go: BuildKit is built with the newest Go the profiles model.
    result.findings.push(...lintBuildkitdConfig(req.buildkitdConfig, req.cwd ?? process.cwd(), goProfile("1.25")));
    result.findings.sort(compareFindings);
  }
  if (result.hosts.length === 0 && !req.allowEmpty && !host)
    throw new UsageError(`no host directories found in ${req.paths.join(", ")}`);
  const policy = applyPolicy(result.findings, config, metas, settings.now, req.baseline ?? null, {
    hosts: result.scan.hosts,
  });
  const report = toJsonReport({ ...result, findings: policy.findings }, toolInfo(), {
    settings,
    config: config.source,
    suppressed: policy.suppressed,
    ...(context ? { context } : {}),
  });
  return { report, config, settings, rules: metas, lint: result, suppressed: policy.suppressed };
}

/** The exit status a report earns: 1 when a finding reaches the threshold, or warnings exceed the maximum. */
export function gateStatus(report: JsonReport, threshold: FailureThreshold, maxWarnings: number): 0 | 1 {
  const c = countBySeverity(report.findings);
  // The threshold and every more severe level (SEVERITIES is most severe first).
  const failing = threshold === "none" ? [] : SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1);
  const over = failing.reduce((n, s) => n + c[s], 0);
  if (over > 0) return 1;
  if (maxWarnings >= 0 && c.warning > maxWarnings) return 1;
  return 0;
}

export { ConfigError, PluginError, ScanError, UsageError };
