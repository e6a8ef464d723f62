/**
 * certsd-lint's configuration: `.certsd-lint.json`, `.certsd-lint.yaml` (or `.yml`), or a `certsd-lint` key in
 * package.json. Discovered from the first linted path upward, then in the working directory; `--config F` names
 * one, `--no-config` uses none. Documented by schema/config.v1.schema.json; anything else is a ConfigError that
 * names the key and why (exit 2).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { RuleMeta, Severity } from "../engine/rule.js";
import { RUNTIME_IDS, type RuntimeId } from "../runtimes/types.js";
import { closest } from "../suggest.js";

export const CONFIG_FILES = [".certsd-lint.json", ".certsd-lint.yaml", ".certsd-lint.yml"] as const;

export type RuleSetting = Severity | "off";

export interface IgnoreEntry {
  /** Glob of the finding's place: "<host>/<file>" (host-relative), or a path relative to the config file. */
  path: string;
  /** Rule ids (names are turned into ids); absent: every rule. */
  rules: string[] | null;
  reason: string;
  /** The last day it applies (YYYY-MM-DD, UTC); after it, the ignore stops working and is reported. */
  expires: string | null;
  /** Its position in the file, for messages ("ignore[2]"). */
  index: number;
}

export interface Config {
  /** The file it came from; null for built-in defaults. */
  source: string | null;
  /** Directory that relative paths (ignores, plugins) resolve against. */
  dir: string;
  rules: Record<string, RuleSetting>;
  ruleOptions: Record<string, Record<string, unknown>>;
  ignore: IgnoreEntry[];
  plugins: string[];
  runtimes: RuntimeId[] | null;
  dockerVersion: string | null;
  containerdVersion: string | null;
  expiryWarningDays: number | null;
  failureThreshold: Severity | "none" | null;
  maxWarnings: number | null;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    why: string,
  ) {
    super(`${file}: ${key ? `${key}: ` : ""}${why}`);
  }
}

export function emptyConfig(dir: string): Config {
  return {
    source: null,
    dir,
    rules: {},
    ruleOptions: {},
    ignore: [],
    plugins: [],
    runtimes: null,
    dockerVersion: null,
    containerdVersion: null,
    expiryWarningDays: null,
    failureThreshold: null,
    maxWarnings: null,
  };
}

/** The config file that applies to `start` (a file or directory): the nearest one at or above it, or null. */
export function findConfigFile(start: string): string | null {
  let dir = path.resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILES) {
      const f = path.join(dir, name);
      if (existsSync(f)) return f;
    }
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, "utf8")) as Record<string, unknown>;
        if (json["certsd-lint"] !== undefined) return pkg;
      } catch {
        /* a broken package.json of someone else's is not ours to report */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Discovery: from the first linted path upward, then the working directory. */
export function discoverConfig(paths: readonly string[], cwd: string): string | null {
  return (paths[0] ? findConfigFile(paths[0]) : null) ?? findConfigFile(cwd);
}

function readRaw(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, "", `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (path.basename(file) === "package.json") {
    try {
      return (JSON.parse(text) as Record<string, unknown>)["certsd-lint"];
    } catch (e) {
      throw new ConfigError(file, "", `is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (/\.ya?ml$/.test(file)) {
    // Loaded only for a YAML file: the parser costs ~45 ms of start-up that every other run would pay.
    const { parse: parseYaml } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
    try {
      return parseYaml(text, { strict: true, uniqueKeys: true });
    } catch (e) {
      throw new ConfigError(file, "", `is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, "", `is not valid JSON: ${(e as Error).message}`);
  }
}

const TOP_KEYS = ["$schema", "rules", "ignore", "plugins", "runtimes", "dockerVersion", "containerdVersion", "expiryWarningDays", "failureThreshold", "maxWarnings"];
const SETTINGS: readonly RuleSetting[] = ["off", "info", "warning", "error"];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A rule id or name, as its id; null when no such rule. */
export function resolveRule(key: string, rules: readonly RuleMeta[]): string | null {
  const r = rules.find((m) => m.id.toLowerCase() === key.toLowerCase() || m.name === key);
  return r ? r.id : null;
}

function unknownRule(file: string, where: string, key: string, rules: readonly RuleMeta[]): never {
  const hint = closest(key, [...rules.map((r) => r.id), ...rules.map((r) => r.name)]);
  throw new ConfigError(file, where, `no rule "${key}"${hint ? ` (did you mean ${hint}?)` : ""}; certsd-lint rules lists them`);
}

/** Checks one rule's options against what the rule declares. */
function validateRuleOptions(file: string, where: string, meta: RuleMeta, options: unknown): Record<string, unknown> {
  if (!isObject(options)) throw new ConfigError(file, where, "options must be an object");
  const declared = meta.options ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    const spec = declared[k];
    if (!spec) {
      const names = Object.keys(declared);
      throw new ConfigError(file, `${where}.${k}`, names.length ? `${meta.id} has no option "${k}" (it has: ${names.join(", ")})` : `${meta.id} takes no options`);
    }
    if (spec.type === "integer" && (typeof v !== "number" || !Number.isInteger(v))) throw new ConfigError(file, `${where}.${k}`, `must be a whole number, not ${JSON.stringify(v)}`);
    if (spec.type === "integer" && spec.minimum !== undefined && (v as number) < spec.minimum) throw new ConfigError(file, `${where}.${k}`, `must be at least ${spec.minimum}`);
    if (spec.type === "string" && typeof v !== "string") throw new ConfigError(file, `${where}.${k}`, `must be a string, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates raw configuration (already parsed) against the rules known, plugins' included. `file` names it in
 * messages.
 */
export function validateConfig(raw: unknown, file: string, rules: readonly RuleMeta[]): Config {
  const cfg = emptyConfig(path.dirname(path.resolve(file)));
  cfg.source = path.resolve(file);
  if (raw === undefined || raw === null) return cfg;
  if (!isObject(raw)) throw new ConfigError(file, "", "must hold an object (keys: rules, ignore, plugins, ...)");
  for (const k of Object.keys(raw)) {
    if (!TOP_KEYS.includes(k)) {
      const hint = closest(k, TOP_KEYS);
      throw new ConfigError(file, k, `unknown key${hint ? ` (did you mean ${hint}?)` : ""}; see schema/config.v1.schema.json`);
    }
  }
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) throw new ConfigError(file, "rules", 'must map rule ids or names to "off", "info", "warning" or "error"');
    for (const [key, value] of Object.entries(raw.rules)) {
      const where = `rules.${key}`;
      const id = resolveRule(key, rules) ?? unknownRule(file, where, key, rules);
      const meta = rules.find((r) => r.id === id)!;
      const [setting, options] = Array.isArray(value) ? [value[0], value[1]] : [value, undefined];
      if (Array.isArray(value) && (value.length < 1 || value.length > 2)) throw new ConfigError(file, where, "a list must be [severity] or [severity, options]");
      if (!SETTINGS.includes(setting as RuleSetting)) throw new ConfigError(file, where, `must be "off", "info", "warning" or "error", not ${JSON.stringify(setting)}`);
      if (cfg.rules[id] !== undefined) throw new ConfigError(file, where, `${id} is set twice (by id and by name)`);
      cfg.rules[id] = setting as RuleSetting;
      if (options !== undefined) cfg.ruleOptions[id] = validateRuleOptions(file, `${where}[1]`, meta, options);
    }
  }
  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore)) throw new ConfigError(file, "ignore", "must be a list of {path, rules, reason, expires}");
    raw.ignore.forEach((entry: unknown, i: number) => {
      const where = `ignore[${i}]`;
      if (!isObject(entry)) throw new ConfigError(file, where, "must be an object with path and reason");
      for (const k of Object.keys(entry)) if (!["path", "rules", "reason", "expires"].includes(k)) throw new ConfigError(file, `${where}.${k}`, "unknown key (path, rules, reason, expires)");
      if (typeof entry.path !== "string" || !entry.path) throw new ConfigError(file, `${where}.path`, "is required: a glob such as legacy-reg:5000/** or legacy-reg:5000/ca.crt");
      if (typeof entry.reason !== "string" || !entry.reason.trim()) throw new ConfigError(file, `${where}.reason`, "is required: say why this is ignored");
      let ruleIds: string[] | null = null;
      if (entry.rules !== undefined) {
        if (!Array.isArray(entry.rules) || entry.rules.some((r) => typeof r !== "string")) throw new ConfigError(file, `${where}.rules`, "must be a list of rule ids or names");
        ruleIds = (entry.rules as string[]).map((r, j) => resolveRule(r, rules) ?? unknownRule(file, `${where}.rules[${j}]`, r, rules));
      }
      let expires: string | null = null;
      if (entry.expires !== undefined) {
        const v = entry.expires instanceof Date ? entry.expires.toISOString().slice(0, 10) : entry.expires;
        if (typeof v !== "string" || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new ConfigError(file, `${where}.expires`, `must be a date, YYYY-MM-DD, not ${JSON.stringify(entry.expires)}`);
        expires = v;
      }
      cfg.ignore.push({ path: entry.path, rules: ruleIds, reason: entry.reason, expires, index: i });
    });
  }
  if (raw.plugins !== undefined) {
    if (!Array.isArray(raw.plugins) || raw.plugins.some((p) => typeof p !== "string" || !p)) throw new ConfigError(file, "plugins", "must be a list of module paths (./my-rules.js) or package names");
    cfg.plugins = raw.plugins as string[];
  }
  if (raw.runtimes !== undefined) {
    if (!Array.isArray(raw.runtimes) || raw.runtimes.length === 0) throw new ConfigError(file, "runtimes", `must be a non-empty list of ${RUNTIME_IDS.join(", ")}`);
    for (const [i, r] of raw.runtimes.entries()) if (!RUNTIME_IDS.includes(r as RuntimeId)) throw new ConfigError(file, `runtimes[${i}]`, `unknown runtime ${JSON.stringify(r)}; choose from ${RUNTIME_IDS.join(", ")}`);
    cfg.runtimes = raw.runtimes as RuntimeId[];
  }
  for (const k of ["dockerVersion", "containerdVersion"] as const) {
    if (raw[k] === undefined) continue;
    const n = raw[k];
    if (typeof n === "number" && !Number.isInteger(n)) {
      // 20.10 unquoted is the number 20.1 by the time we see it: say so instead of modelling a version nobody has.
      throw new ConfigError(file, k, `write the version quoted, as a string: as a number, 20.10 reads as 20.1 (this one reads as ${n})`);
    }
    const v = typeof n === "number" ? String(n) : n;
    if (typeof v !== "string" || !v) throw new ConfigError(file, k, 'must be a version string such as "29" or "2.2"');
    cfg[k] = v;
  }
  if (raw.expiryWarningDays !== undefined) {
    if (typeof raw.expiryWarningDays !== "number" || !Number.isInteger(raw.expiryWarningDays) || raw.expiryWarningDays < 0) throw new ConfigError(file, "expiryWarningDays", "must be a whole number of days, 0 or more");
    cfg.expiryWarningDays = raw.expiryWarningDays;
  }
  if (raw.failureThreshold !== undefined) {
    if (!["error", "warning", "info", "none"].includes(raw.failureThreshold as string)) throw new ConfigError(file, "failureThreshold", 'must be "error", "warning", "info" or "none"');
    cfg.failureThreshold = raw.failureThreshold as Config["failureThreshold"];
  }
  if (raw.maxWarnings !== undefined) {
    if (typeof raw.maxWarnings !== "number" || !Number.isInteger(raw.maxWarnings) || raw.maxWarnings < -1) throw new ConfigError(file, "maxWarnings", "must be a whole number (-1: no limit)");
    cfg.maxWarnings = raw.maxWarnings;
  }
  return cfg;
}

/** Reads the raw configuration of a file (validation needs the rules, plugins included: see validateConfig). */
export function readConfigFile(file: string): unknown {
  return readRaw(path.resolve(file));
}

/** The plugins a raw configuration names, before full validation (plugins bring rules that validation needs). */
export function rawPlugins(raw: unknown, file: string): string[] {
  if (!isObject(raw) || raw.plugins === undefined) return [];
  if (!Array.isArray(raw.plugins) || raw.plugins.some((p) => typeof p !== "string" || !p)) throw new ConfigError(file, "plugins", "must be a list of module paths (./my-rules.js) or package names");
  return raw.plugins as string[];
}
