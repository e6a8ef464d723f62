/** The lint path of the CLI: loads the engine, the rules and the crypto they need. */
import { lint } from "../engine/lint.js";
import { formatJson, toJsonReport } from "../report/json.js";
import { formatStylish } from "../report/stylish.js";
import { containerdRelease } from "../runtimes/containerd-release.js";
import { dockerEngine } from "../runtimes/docker-engine.js";
import type { RuntimeId } from "../runtimes/types.js";
import { ScanError } from "../scan/scan.js";
import { toolInfo } from "../version.js";
import { RULES } from "../../rules/index.js";

export interface RunOptions {
  paths: string[];
  format: "stylish" | "json";
  color: boolean;
  now: Date;
  expiryWarningDays: number;
  dockerVersion: string;
  containerdVersion: string;
  /** null: chosen per root by its location. */
  runtimes: string[] | null;
}

export function run(options: RunOptions): number {
  try {
    dockerEngine(options.dockerVersion);
  } catch (e) {
    process.stderr.write(`certsd-lint: --docker-version: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    containerdRelease(options.containerdVersion);
  } catch (e) {
    process.stderr.write(`certsd-lint: --containerd-version: ${(e as Error).message}\n`);
    return 2;
  }
  const runtimes = options.runtimes as RuntimeId[] | null;
  let result;
  try {
    result = lint({
      paths: options.paths,
      rules: RULES,
      now: options.now,
      expiryWarningDays: options.expiryWarningDays,
      dockerVersion: options.dockerVersion,
      containerdVersion: options.containerdVersion,
      ...(runtimes ? { runtimes } : {}),
    });
  } catch (e) {
    if (e instanceof ScanError) {
      process.stderr.write(`certsd-lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (result.hosts.length === 0) {
    process.stderr.write(`certsd-lint: no host directories found in ${options.paths.join(", ")}\n`);
    return 2;
  }
  const output =
    options.format === "json"
      ? formatJson(
          toJsonReport(result, toolInfo(), {
            now: options.now,
            expiryWarningDays: options.expiryWarningDays,
            dockerVersion: options.dockerVersion,
            containerdVersion: options.containerdVersion,
            runtimes,
          }),
        )
      : formatStylish(result, { color: options.color, cwd: process.cwd() });
  process.stdout.write(output);
  return result.findings.some((f) => f.severity === "error") ? 1 : 0;
}
