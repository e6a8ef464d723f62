/** The lint path of the CLI: configuration, the run, every requested output, the exit status. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/config.js";
import { PluginError } from "../config/plugins.js";
import { type Baseline, baselineOf } from "../config/policy.js";
import { makeFormatters } from "../report/formatters.js";
import { repositoryRoot } from "../report/machine.js";
import { homepage, ruleHelp } from "../rule-docs.js";
import { gateStatus, prepare, type RunRequest, runLint, UsageError } from "../runner.js";
import { ScanError } from "../scan/scan.js";
import { RULES } from "../../rules/index.js";
import type { FormatName } from "../report/format-names.js";

/** Where one output goes: the terminal (file null) or a file. */
export interface Output {
  format: FormatName;
  file: string | null;
}

/** The lint command's options, already parsed and checked by yargs (main.ts); settings as the runner takes them. */
export interface RunOptions extends Omit<RunRequest, "baseline" | "cwd"> {
  paths: string[];
  /** At most one to the terminal (file null). */
  outputs: Output[];
  color: boolean;
  printConfig: boolean;
  baseline: string | undefined;
  baselineWrite: string | undefined;
}

function usage(message: string): number {
  process.stderr.write(`certsd-lint: ${message}\n`);
  return 2;
}

function readBaseline(file: string): Baseline | string {
  try {
    const b = JSON.parse(readFileSync(file, "utf8")) as Baseline;
    if (b?.version !== 1 || !Array.isArray(b.findings))
      return `--baseline ${file}: not a certsd-lint baseline (write one with --baseline-write)`;
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
  const { outputs, color, printConfig, baseline: baselineFile, baselineWrite, ...request } = options;
  let baseline: Baseline | null = null;
  if (baselineFile) {
    const b = readBaseline(baselineFile);
    if (typeof b === "string") return usage(b);
    baseline = b;
  }
  const req: RunRequest = { ...request, baseline };
  try {
    if (printConfig) {
      const p = await prepare(req);
      const { source, dir, ...rest } = p.config;
      const s = p.settings;
      const effective = {
        dockerVersion: s.runtime.docker.version,
        containerdVersion: s.runtime.containerd.version,
        podmanVersion: s.runtime.podman.version,
        expiryWarningDays: s.expiryWarningDays,
        runtimes: s.runtimes,
      };
      const shown = {
        source,
        directory: dir,
        ...rest,
        effective,
        plugins: rest.plugins,
        pluginRules: p.rules.filter((r) => !RULES.includes(r)).map((r) => r.meta.id),
      };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    const result = await runLint(req);
    const formatters = makeFormatters(() => result.rules, ruleHelp, homepage());
    const base = repositoryRoot(process.cwd());
    for (const o of outputs) {
      const text = formatters[o.format](result.report, {
        color: o.file === null && color,
        cwd: process.cwd(),
        base,
        rules: result.rules,
        ...(o.file === null && process.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {}),
      });
      if (o.file === null) process.stdout.write(text);
      else writeOut(o.file, text);
    }
    const fatal = result.report.summary.fatal;
    if (fatal > 0) {
      const where = [
        ...new Set(result.report.findings.filter((f) => f.fatal).map((f) => `${f.ruleId} on ${f.host}`)),
      ].join(", ");
      process.stderr.write(
        `certsd-lint: ${fatal} internal error${fatal === 1 ? "" : "s"} (${where}), reported as fatal findings; ` +
          `everything else was checked\n`,
      );
      return 2;
    }
    if (baselineWrite) {
      writeOut(baselineWrite, `${JSON.stringify(baselineOf(result.report.findings), null, 2)}\n`);
      process.stderr.write(
        `certsd-lint: baseline of ${result.report.findings.length} findings written to ${baselineWrite}; ` +
          `later runs with --baseline report only new ones\n`,
      );
      return 0;
    }
    return gateStatus(result.report, result.settings.failureThreshold, result.settings.maxWarnings);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanError || e instanceof ConfigError || e instanceof PluginError)
      return usage(e.message);
    throw e;
  }
}
