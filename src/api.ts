/**
 * certsd-lint as a library:
 *
 *   import { lint, formatters, rules } from "certsd-lint";
 *   const report = await lint({ paths: ["/etc/docker/certs.d"], now: new Date() });
 *   process.stdout.write(formatters.sarif(report));
 *
 * `lint` resolves to the same object the JSON report prints (schema/report.v1.schema.json), configuration, ignores,
 * baseline and plugins applied. Bad input (a missing path, an invalid configuration, a broken plugin) rejects with
 * a CertsdLintError whose message is the one line the CLI would print.
 */
import type { Baseline } from "./config/policy.js";
import type { RuleMeta } from "./engine/rule.js";
import { type FormatName, type Formatter, makeFormatters } from "./report/formatters.js";
import type { JsonReport } from "./report/json.js";
import { ConfigError, PluginError, type RunRequest, runLint, ScanError, UsageError } from "./runner.js";
import { homepage, ruleHelp } from "./rule-docs.js";
import type { RuntimeId } from "./runtimes/types.js";
import { RULES } from "../rules/index.js";
import { type InspectReport, inspectFiles } from "./inspect/inspect.js";
import { type GoProfile, goProfile } from "./material/go-profile.js";

export interface LintOptions {
  /** Certs roots, host directories, or files inside host directories. */
  paths: string[];
  /**
   * A configuration object (the content of .certsd-lint.json), a file to read, or false for none. Absent: the
   * configuration is discovered as the CLI does (from the first path upward, then `cwd`).
   */
  config?: Record<string, unknown> | string | false;
  /** The date every validity check uses. Default: now. Give one for reproducible reports. */
  now?: Date;
  /** Where discovery ends and relative paths resolve. Default: process.cwd(). */
  cwd?: string;
  runtimes?: RuntimeId[];
  dockerVersion?: string;
  containerdVersion?: string;
  /** The podman release to model (containers/image and its Go build), e.g. "4.3". */
  podmanVersion?: string;
  expiryWarningDays?: number;
  /** Report only findings not in this baseline (as written by --baseline-write, or `baselineOf(report.findings)`). */
  baseline?: Baseline;
  /** Whether finding no host directory is acceptable (default true here; the CLI exits 2 unless --allow-empty). */
  allowEmpty?: boolean;
}

/** Every failure of the input (not of the tree: those are findings). */
export class CertsdLintError extends Error {}

export async function lint(options: LintOptions): Promise<JsonReport> {
  if (!options || !Array.isArray(options.paths)) throw new CertsdLintError("lint: give { paths: [...] }");
  const req: RunRequest = {
    paths: options.paths,
    allowEmpty: options.allowEmpty ?? true,
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.runtimes !== undefined ? { runtimes: options.runtimes } : {}),
    ...(options.dockerVersion !== undefined ? { dockerVersion: options.dockerVersion } : {}),
    ...(options.containerdVersion !== undefined ? { containerdVersion: options.containerdVersion } : {}),
    ...(options.podmanVersion !== undefined ? { podmanVersion: options.podmanVersion } : {}),
    ...(options.expiryWarningDays !== undefined ? { expiryWarningDays: options.expiryWarningDays } : {}),
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
  };
  try {
    // A round trip through JSON: the object is exactly what `--format json` prints, with no shared references.
    return JSON.parse(JSON.stringify((await runLint(req)).report)) as JsonReport;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanError || e instanceof ConfigError || e instanceof PluginError)
      throw new CertsdLintError(e.message);
    throw e;
  }
}

/** Every output format: `formatters.sarif(report)`, `formatters.stylish(report, { color: true })`, ... */
export const formatters: Record<FormatName, Formatter> = makeFormatters(
  () => RULES.map((r) => r.meta),
  ruleHelp,
  homepage(),
);

/** The built-in rules' metadata (id, name, severity, description, runtimes, program texts). */
export const rules: readonly RuleMeta[] = RULES.map((r) => r.meta);

/**
 * What Go sees in files (the object `certsd-lint inspect --format json` prints, schema/inspect.v1.schema.json):
 *   inspect([{ path: "ca.crt", data: readFileSync("ca.crt") }], { go: "1.19" })
 * `go` defaults to the newest modelled Go; `key` adds tls.X509KeyPair(file, key) for each file.
 */
export function inspect(
  files: ReadonlyArray<{ path: string; data: Uint8Array }>,
  options: { go?: string; key?: { path: string; data: Uint8Array } } = {},
): InspectReport {
  let go: GoProfile;
  try {
    go = goProfile(options.go ?? "1.25");
  } catch (e) {
    throw new CertsdLintError(`inspect: ${(e as Error).message}`);
  }
  return JSON.parse(JSON.stringify(inspectFiles(files, go, options.key))) as InspectReport;
}

export { defineRule } from "./engine/rule.js";
export { baselineOf } from "./config/policy.js";
export { FORMAT_NAMES } from "./report/formatters.js";
export type { InspectReport } from "./inspect/inspect.js";
export type { Baseline, FormatName, Formatter, JsonReport, RuleMeta, RuntimeId };
export type { FormatOptions } from "./report/formatters.js";
export type { Finding, FindingInput, HostContext, Rule, RuleOptionSpec, Severity } from "./engine/rule.js";
