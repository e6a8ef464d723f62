/** Every output format, by name: what `--format` accepts and what the API exports as `formatters`. */
import type { RuleMeta } from "../engine/rule.js";
import type { RuleHelp } from "../rule-docs.js";
import { formatJson, type JsonReport } from "./json.js";
import { formatCheckstyle, formatCompact, formatGithub, formatJunit, formatSarif } from "./machine.js";
import { formatStylish, type Verbosity } from "./stylish.js";
import { formatTree } from "./tree.js";
import type { FailureThreshold } from "../engine/rule.js";

import { FORMAT_NAMES, type FormatName } from "./format-names.js";

export { FORMAT_NAMES, type FormatName };

export interface FormatOptions {
  /** Colour (stylish and tree only, and only when writing to a terminal). */
  color?: boolean;
  /** Paths are shown relative to this directory (stylish: the working directory; the others: the repository root). */
  cwd?: string;
  base?: string;
  /** Stylish and tree: wrap to this many columns (stylish: undefined is one line per part; tree: never wrap). */
  width?: number;
  /** Stylish: quiet (only hosts with findings at or above the threshold), normal, or verbose (each finding's why). */
  verbosity?: Verbosity;
  /** Stylish --quiet: the least severity kept (the run's failure threshold). */
  threshold?: FailureThreshold;
  /** The rules that ran, for SARIF's tool.driver.rules (default: the built-in ones, given by the caller). */
  rules?: readonly RuleMeta[];
}

export type Formatter = (report: JsonReport, options?: FormatOptions) => string;

/** The formatters, given the rules SARIF lists by default and where a rule's page is read from. */
export function makeFormatters(
  defaultRules: () => readonly RuleMeta[],
  help?: (meta: RuleMeta) => RuleHelp,
  informationUri?: string | null,
): Record<FormatName, Formatter> {
  const machine = (o: FormatOptions = {}) => ({
    rules: o.rules ?? defaultRules(),
    base: o.base ?? o.cwd ?? process.cwd(),
    ...(help ? { help } : {}),
    ...(informationUri ? { informationUri } : {}),
  });
  return {
    stylish: (r, o = {}) =>
      formatStylish(r, {
        color: o.color ?? false,
        cwd: o.cwd ?? process.cwd(),
        ...(o.width !== undefined ? { width: o.width } : {}),
        ...(o.verbosity ? { verbosity: o.verbosity } : {}),
        ...(o.threshold ? { threshold: o.threshold } : {}),
      }),
    json: (r) => formatJson(r),
    sarif: (r, o) => formatSarif(r, machine(o)),
    junit: (r, o) => formatJunit(r, machine(o)),
    github: (r, o) => formatGithub(r, machine(o)),
    checkstyle: (r, o) => formatCheckstyle(r, machine(o)),
    compact: (r, o) => formatCompact(r, machine(o)),
    tree: (r, o = {}) =>
      formatTree(r, {
        color: o.color ?? false,
        cwd: o.cwd ?? process.cwd(),
        ...(o.width === undefined ? {} : { width: o.width }),
      }),
  };
}
