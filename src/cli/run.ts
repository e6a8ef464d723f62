/** The lint path of the CLI: configuration, the run, every requested output, the exit status. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/config.js";
import { PluginError } from "../config/plugins.js";
import { type Baseline, baselineOf } from "../engine/policy.js";
import { FORMAT_NAMES, type FormatName, makeFormatters } from "../report/formatters.js";
import { repositoryRoot } from "../report/machine.js";
import type { RuntimeId } from "../runtimes/types.js";
import { gateStatus, prepare, type RunRequest, runLint, UsageError } from "../runner.js";
import { ScanError } from "../scan/scan.js";
import { RULES } from "../../rules/index.js";

export interface RunOptions {
  paths: string[];
  /** "stylish", or "sarif=reports/certsd.sarif" to write a file; several allowed, at most one to stdout. */
  formats: string[];
  color: boolean;
  now: Date;
  expiryWarningDays: number | undefined;
  dockerVersion: string | undefined;
  containerdVersion: string | undefined;
  runtimes: string[] | null;
  config: string | false | undefined;
  printConfig: boolean;
  rules: string[];
  failureThreshold: string | undefined;
  maxWarnings: number | undefined;
  allowEmpty: boolean;
  baseline: string | undefined;
  baselineWrite: string | undefined;
}

function usage(message: string): number {
  process.stderr.write(`certsd-lint: ${message}\n`);
  return 2;
}

interface Output {
  format: FormatName;
  file: string | null;
}

function parseFormats(specs: string[]): Output[] | string {
  const outputs: Output[] = [];
  for (const spec of specs.length ? specs : ["stylish"]) {
    const eq = spec.indexOf("=");
    const name = (eq < 0 ? spec : spec.slice(0, eq)) as FormatName;
    const file = eq < 0 ? null : spec.slice(eq + 1);
    if (!FORMAT_NAMES.includes(name)) return `--format: unknown format "${name}"; choose from ${FORMAT_NAMES.join(", ")} (add =FILE to write a file)`;
    if (file === "") return `--format ${name}=: give a file name after =`;
    outputs.push({ format: name, file });
  }
  const toStdout = outputs.filter((o) => o.file === null);
  if (toStdout.length > 1) return `--format: only one format can go to the terminal (${toStdout.map((o) => o.format).join(", ")}); write the others to files with =FILE`;
  if (toStdout.length === 0) outputs.unshift({ format: "stylish", file: null });
  return outputs;
}

function ruleSettings(specs: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(.*)$/.exec(spec);
    if (!m) return `--rule ${spec}: write it as ID=SETTING, e.g. --rule CD104=off`;
    out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

function readBaseline(file: string): Baseline | string {
  try {
    const b = JSON.parse(readFileSync(file, "utf8")) as Baseline;
    if (b?.version !== 1 || !Array.isArray(b.findings)) return `--baseline ${file}: not a certsd-lint baseline (write one with --baseline-write)`;
    return b;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `--baseline ${file}: ${err.code === "ENOENT" ? "no such file" : err instanceof SyntaxError ? "not valid JSON" : err.message}`;
  }
}

function writeOut(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

export async function run(options: RunOptions): Promise<number> {
  const outputs = parseFormats(options.formats);
  if (typeof outputs === "string") return usage(outputs);
  const settings = ruleSettings(options.rules);
  if (typeof settings === "string") return usage(settings);
  if (options.failureThreshold !== undefined && !["error", "warning", "info", "none"].includes(options.failureThreshold)) {
    return usage(`--failure-threshold: choose from error, warning, info, none (not ${options.failureThreshold})`);
  }
  if (options.maxWarnings !== undefined && (!Number.isInteger(options.maxWarnings) || options.maxWarnings < -1)) return usage(`--max-warnings: a whole number, -1 for no limit`);
  let baseline: Baseline | null = null;
  if (options.baseline) {
    const b = readBaseline(options.baseline);
    if (typeof b === "string") return usage(b);
    baseline = b;
  }
  const req: RunRequest = {
    paths: options.paths,
    now: options.now,
    ruleSettings: settings,
    runtimes: options.runtimes as RuntimeId[] | null,
    baseline,
    allowEmpty: options.allowEmpty,
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.dockerVersion !== undefined ? { dockerVersion: options.dockerVersion } : {}),
    ...(options.containerdVersion !== undefined ? { containerdVersion: options.containerdVersion } : {}),
    ...(options.expiryWarningDays !== undefined ? { expiryWarningDays: options.expiryWarningDays } : {}),
  };
  try {
    if (options.printConfig) {
      const p = await prepare(req);
      const { source, dir, ...rest } = p.config;
      const shown = { source, directory: dir, ...rest, effective: p.effective, plugins: rest.plugins, pluginRules: p.rules.filter((r) => !RULES.includes(r)).map((r) => r.meta.id) };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    const result = await runLint(req);
    const formatters = makeFormatters(() => result.rules);
    const base = repositoryRoot(process.cwd());
    for (const o of outputs) {
      const text = formatters[o.format](result.report, { color: o.file === null && options.color, cwd: process.cwd(), base, rules: result.rules });
      if (o.file === null) process.stdout.write(text);
      else writeOut(o.file, text);
    }
    const fatal = result.report.summary.fatal;
    if (fatal > 0) {
      const where = [...new Set(result.report.findings.filter((f) => f.fatal).map((f) => `${f.ruleId} on ${f.host}`))].join(", ");
      process.stderr.write(`certsd-lint: ${fatal} internal error${fatal === 1 ? "" : "s"} (${where}), reported as fatal findings; everything else was checked\n`);
      return 2;
    }
    if (options.baselineWrite) {
      writeOut(options.baselineWrite, `${JSON.stringify(baselineOf(result.report.findings), null, 2)}\n`);
      process.stderr.write(`certsd-lint: baseline of ${result.report.findings.length} findings written to ${options.baselineWrite}; later runs with --baseline report only new ones\n`);
      return 0;
    }
    const threshold = (options.failureThreshold ?? result.config.failureThreshold ?? "error") as "error" | "warning" | "info" | "none";
    const maxWarnings = options.maxWarnings ?? result.config.maxWarnings ?? -1;
    return gateStatus(result.report, threshold, maxWarnings);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanError || e instanceof ConfigError || e instanceof PluginError) return usage(e.message);
    throw e;
  }
}
