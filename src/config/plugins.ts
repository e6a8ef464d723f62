/**
 * Plugins: `"plugins": ["./my-rules.js", "certsd-lint-plugin-acme"]` in the configuration. A plugin is an ES module
 * (or CommonJS) exporting rules of the same shape as the built-in ones: `export default { rules: [...] }`,
 * `export const rules = [...]`, or a default-exported array. Paths resolve against the configuration file's
 * directory, package names from there too. Anything wrong is a PluginError naming the plugin (exit 2).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { RULE_ID, type Rule, type RuleDefinition, SEVERITIES, type Severity } from "../engine/rule.js";
import { inRegistryOrder, isRuntimeId, RUNTIME_IDS } from "../runtimes/registry.js";

export class PluginError extends Error {
  constructor(
    readonly plugin: string,
    why: string,
  ) {
    super(`plugin ${plugin}: ${why}`);
  }
}

function resolvePlugin(spec: string, dir: string): string {
  if (spec.startsWith(".") || path.isAbsolute(spec)) return path.resolve(dir, spec);
  const require = createRequire(path.join(dir, "noop.js"));
  try {
    return require.resolve(spec);
  } catch {
    throw new PluginError(spec, `cannot find the package from ${dir} (is it installed?)`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** Checks what a plugin exports against the rule shape; returns its rules. */
export function pluginRules(spec: string, mod: unknown): Rule[] {
  const m = isObject(mod) ? mod : {};
  const def = (m as { default?: unknown }).default;
  const list = Array.isArray(def)
    ? def
    : isObject(def) && Array.isArray((def as { rules?: unknown }).rules)
      ? (def as { rules: unknown[] }).rules
      : (m as { rules?: unknown }).rules;
  if (!Array.isArray(list))
    throw new PluginError(
      spec,
      "exports no rules (expected `export default { rules: [...] }` or `export const rules = [...]`)",
    );
  return list.map((r, i) => {
    const where = `rules[${i}]`;
    if (!isObject(r) || !isObject(r.meta)) throw new PluginError(spec, `${where} has no meta`);
    const meta = r.meta;
    const id = typeof meta.id === "string" ? meta.id : "";
    if (!RULE_ID.test(id))
      throw new PluginError(
        spec,
        `${where}.meta.id ${JSON.stringify(meta.id)} is not of the form ABC123 (two to eight capitals, ` +
          `three digits)`,
      );
    if (id.startsWith("CD"))
      throw new PluginError(
        spec,
        `${where}.meta.id ${id}: the CD prefix is certsd-lint's own; give your rules another prefix`,
      );
    if (typeof meta.name !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(meta.name))
      throw new PluginError(spec, `${id}: meta.name must be kebab-case`);
    if (!SEVERITIES.includes(meta.severity as Severity))
      throw new PluginError(
        spec,
        `${id}: meta.severity must be ${SEVERITIES.map((x) => `"${x}"`)
          .join(", ")
          .replace(/, ([^,]*)$/, " or $1")}`,
      );
    if (typeof meta.description !== "string" || !meta.description)
      throw new PluginError(spec, `${id}: meta.description is required`);
    if (
      meta.runtimes !== undefined &&
      (!Array.isArray(meta.runtimes) ||
        meta.runtimes.length === 0 ||
        meta.runtimes.some((x) => typeof x !== "string" || !isRuntimeId(x)))
    ) {
      throw new PluginError(
        spec,
        `${id}: meta.runtimes must list runtimes among ${RUNTIME_IDS.join(", ")} (or be left out: every runtime)`,
      );
    }
    if (typeof r.check !== "function")
      throw new PluginError(spec, `${id}: check must be a function (ctx, report) => void`);
    if (r.after !== undefined && typeof r.after !== "function")
      throw new PluginError(spec, `${id}: after, when given, must be a function`);
    const rule = r as unknown as RuleDefinition;
    return { ...rule, meta: { ...rule.meta, runtimes: inRegistryOrder(rule.meta.runtimes ?? RUNTIME_IDS) } };
  });
}

export async function loadPlugins(specs: readonly string[], dir: string): Promise<Rule[]> {
  const out: Rule[] = [];
  for (const spec of specs) {
    const file = resolvePlugin(spec, dir);
    let mod: unknown;
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "ERR_MODULE_NOT_FOUND" && (err.message ?? "").includes(file))
        throw new PluginError(spec, `${file} does not exist`);
      throw new PluginError(spec, `failed to load: ${(err.message ?? String(e)).split("\n")[0]}`);
    }
    out.push(...pluginRules(spec, mod).map((r) => guarded(r, spec)));
  }
  return out;
}

/** Wraps a plugin rule so that a throw inside it names the plugin and the rule instead of crashing the run. */
export function guarded(rule: Rule, plugin: string): Rule {
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (e) {
        throw new PluginError(plugin, `rule ${rule.meta.id} threw: ${(e as Error).message ?? String(e)}`);
      }
    };
  return { ...rule, check: wrap(rule.check.bind(rule)), ...(rule.after ? { after: wrap(rule.after.bind(rule)) } : {}) };
}
