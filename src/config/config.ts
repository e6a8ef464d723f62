/**
 * certsd-lint's configuration: `.certsd-lint.json`, `.certsd-lint.yaml` (or `.yml`), or a `certsd-lint` key in
 * package.json. Discovered from the first linted path upward, then in the working directory; `--config F` names
 * one, `--no-config` uses none. Documented by schema/config.v1.schema.json; anything else is a ConfigError that
 * names the key and why (exit 2).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type FailureThreshold, type RuleMeta, type RuleSetting } from "../engine/rule.js";
import type { RuntimeId } from "../runtimes/types.js";
import { closest } from "../suggest.js";
import { validate as validateGenerated } from "./config-schema.generated.js";
import type * as YAML from "yaml";

export const CONFIG_FILES = [".certsd-lint.json", ".certsd-lint.yaml", ".certsd-lint.yml"] as const;

export type { RuleSetting };

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
  podmanVersion: string | null;
  expiryWarningDays: number | null;
  failureThreshold: FailureThreshold | null;
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
    podmanVersion: null,
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
    const { parse: parseYaml } = createRequire(import.meta.url)("yaml") as typeof YAML;
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
  throw new ConfigError(
    file,
    where,
    `no rule "${key}"${hint ? ` (did you mean ${hint}?)` : ""}; certsd-lint rules lists them`,
  );
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
      throw new ConfigError(
        file,
        `${where}.${k}`,
        names.length ? `${meta.id} has no option "${k}" (it has: ${names.join(", ")})` : `${meta.id} takes no options`,
      );
    }
    if (spec.type === "integer" && (typeof v !== "number" || !Number.isInteger(v)))
      throw new ConfigError(file, `${where}.${k}`, `must be a whole number, not ${JSON.stringify(v)}`);
    if (spec.type === "integer" && spec.minimum !== undefined && (v as number) < spec.minimum)
      throw new ConfigError(file, `${where}.${k}`, `must be at least ${spec.minimum}`);
    if (spec.type === "string" && typeof v !== "string")
      throw new ConfigError(file, `${where}.${k}`, `must be a string, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  data?: unknown;
  parentSchema?: Record<string, unknown>;
}

interface SchemaValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

/** The schema's own validator, compiled ahead of time (schema/build-validator.mjs): no Ajv at start-up. */
const validateSchema = validateGenerated as unknown as SchemaValidator;

/** A JSON pointer into the configuration as users write its keys: `/ignore/0/reason` → `ignore[0].reason`. */
function keyPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

/** The schema's `x-message` for an error, with {value} and {enum} filled in. */
function schemaMessage(e: SchemaError, node: Record<string, unknown> | undefined): string | null {
  const text = node?.["x-message"];
  if (typeof text !== "string") return null;
  const items = node?.items as Record<string, unknown> | undefined;
  const allowed = (node?.enum ?? items?.enum) as unknown[] | undefined;
  return text.replace("{value}", JSON.stringify(e.data)).replace("{enum}", (allowed ?? []).join(", "));
}

/** The first thing the schema refuses, as a ConfigError naming the key and why. */
function schemaError(file: string, e: SchemaError): ConfigError {
  const where = keyPath(e.instancePath);
  const parent = e.parentSchema;
  if (e.keyword === "additionalProperties") {
    const key = String(e.params.additionalProperty);
    const known = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {});
    const at = where ? `${where}.${key}` : key;
    if (!where) {
      const hint = closest(key, known);
      return new ConfigError(
        file,
        at,
        `unknown key${hint ? ` (did you mean ${hint}?)` : ""}; see schema/config.v1.schema.json`,
      );
    }
    return new ConfigError(file, at, `unknown key (${known.join(", ")})`);
  }
  if (e.keyword === "required") {
    const key = String(e.params.missingProperty);
    const prop = (parent?.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
    return new ConfigError(file, where ? `${where}.${key}` : key, schemaMessage(e, prop) ?? "is required");
  }
  return new ConfigError(file, where, schemaMessage(e, parent) ?? `must match the schema (${e.keyword})`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates raw configuration (already parsed): its shape by the JSON Schema, then what a schema cannot know — that
 * the rules named exist (plugins' included), their options, real dates. `file` names it in messages.
 */
export function validateConfig(raw: unknown, file: string, rules: readonly RuleMeta[]): Config {
  const cfg = emptyConfig(path.dirname(path.resolve(file)));
  cfg.source = path.resolve(file);
  if (raw === undefined || raw === null) return cfg;
  if (isObject(raw)) {
    for (const k of ["dockerVersion", "containerdVersion", "podmanVersion"] as const) {
      const n = raw[k];
      // 20.10 unquoted is the number 20.1 by the time we see it: say so instead of modelling a version nobody has.
      if (typeof n === "number" && !Number.isInteger(n))
        throw new ConfigError(
          file,
          k,
          `write the version quoted, as a string: as a number, 20.10 reads as 20.1 (this one reads as ${n})`,
        );
    }
  }
  // YAML's dates arrive as Date objects: the schema judges the text the user wrote.
  const plain =
    isObject(raw) && Array.isArray(raw.ignore)
      ? {
          ...raw,
          ignore: raw.ignore.map((e: unknown) =>
            isObject(e) && e.expires instanceof Date ? { ...e, expires: e.expires.toISOString().slice(0, 10) } : e,
          ),
        }
      : raw;
  if (!validateSchema(plain)) throw schemaError(file, validateSchema.errors![0]!);
  const c = plain as RawConfig;
  for (const [key, value] of Object.entries(c.rules ?? {})) {
    const where = `rules.${key}`;
    const id = resolveRule(key, rules) ?? unknownRule(file, where, key, rules);
    const meta = rules.find((r) => r.id === id)!;
    const [setting, options] = Array.isArray(value) ? value : [value, undefined];
    if (cfg.rules[id] !== undefined) throw new ConfigError(file, where, `${id} is set twice (by id and by name)`);
    cfg.rules[id] = setting;
    if (options !== undefined) cfg.ruleOptions[id] = validateRuleOptions(file, `${where}[1]`, meta, options);
  }
  (c.ignore ?? []).forEach((entry, i) => {
    const where = `ignore[${i}]`;
    const ruleIds =
      entry.rules?.map((r, j) => resolveRule(r, rules) ?? unknownRule(file, `${where}.rules[${j}]`, r, rules)) ?? null;
    if (
      entry.expires !== undefined &&
      (!DATE.test(entry.expires) || Number.isNaN(Date.parse(`${entry.expires}T00:00:00Z`)))
    ) {
      throw new ConfigError(
        file,
        `${where}.expires`,
        `must be a date, YYYY-MM-DD, not ${JSON.stringify(entry.expires)}`,
      );
    }
    cfg.ignore.push({
      path: entry.path,
      rules: ruleIds,
      reason: entry.reason,
      expires: entry.expires ?? null,
      index: i,
    });
  });
  cfg.plugins = c.plugins ?? [];
  cfg.runtimes = c.runtimes ?? null;
  for (const k of ["dockerVersion", "containerdVersion", "podmanVersion"] as const)
    if (c[k] !== undefined) cfg[k] = String(c[k]);
  cfg.expiryWarningDays = c.expiryWarningDays ?? null;
  cfg.failureThreshold = c.failureThreshold ?? null;
  cfg.maxWarnings = c.maxWarnings ?? null;
  return cfg;
}

/** The configuration as the schema allows it. */
interface RawConfig {
  rules?: Record<string, RuleSetting | [RuleSetting] | [RuleSetting, Record<string, unknown>]>;
  ignore?: Array<{ path: string; rules?: string[]; reason: string; expires?: string }>;
  plugins?: string[];
  runtimes?: RuntimeId[];
  dockerVersion?: string | number;
  containerdVersion?: string | number;
  podmanVersion?: string | number;
  expiryWarningDays?: number;
  failureThreshold?: FailureThreshold;
  maxWarnings?: number;
}

/** Reads the raw configuration of a file (validation needs the rules, plugins included: see validateConfig). */
export function readConfigFile(file: string): unknown {
  return readRaw(path.resolve(file));
}

/** The plugins a raw configuration names, before full validation (plugins bring rules that validation needs). */
export function rawPlugins(raw: unknown, file: string): string[] {
  if (!isObject(raw) || raw.plugins === undefined) return [];
  // Plugins are loaded before the rest is validated (their rules are needed for it): their list is checked first.
  if (!validateSchema({ plugins: raw.plugins })) throw schemaError(file, validateSchema.errors![0]!);
  return raw.plugins as string[];
}
