/** Runs the built CLI (dist/) as a user would: its exit status, stdout and stderr, colour variables and COLUMNS removed. */
import { spawnSync } from "node:child_process";
import { CLI, REPO } from "./fixtures.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: the repository). */
  cwd?: string;
  /** Variables set on top of the environment. */
  env?: Record<string, string>;
  /** Arguments put in front of every call (e.g. a fixed --now). */
  prefix?: string[];
}

export function cli(args: string[], options: CliOptions = {}): CliResult {
  // The colour variables are removed, not blanked: FORCE_COLOR="" means "force colour" to Node and kleur alike.
  // COLUMNS too: stylish wraps to it when piped, and a developer's shell may export it.
  const { NO_COLOR: _n, FORCE_COLOR: _f, COLUMNS: _c, ...base } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...(options.prefix ?? []), ...args], {
    cwd: options.cwd ?? REPO,
    encoding: "utf8",
    env: { ...base, ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
