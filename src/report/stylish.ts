/**
 * The terminal format: per host directory, what each runtime does with it (one line), then the findings, each
 * with the runtime's own words beneath. Colour comes from kleur and is switched on by the caller only.
 */
import { formatContext } from "./context.js";
import path from "node:path";
import kleur from "kleur";
import type { Finding, Severity } from "../engine/rule.js";
import { RUNTIME_IDS } from "../runtimes/registry.js";
import { countBySeverity, type JsonReport, runtimeSayings, type RuntimeReport } from "./json.js";

export interface StylishOptions {
  color: boolean;
  cwd: string;
}

function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Runtime ids in one column: as wide as the longest, and a space. */
const NAME_WIDTH = Math.max(...RUNTIME_IDS.map((r) => r.length)) + 1;

function verdictLine(runtime: string, o: RuntimeReport, k: typeof kleur): string {
  const name = k.bold(runtime.padEnd(NAME_WIDTH));
  switch (o.status) {
    case "error":
      return `${name}${k.red("✖ fails:")} ${o.printed ?? o.error}`;
    case "not-read":
      return `${name}${k.yellow("– never reads this directory:")} ${o.reason}`;
    case "undetermined":
      return `${name}${k.yellow("? cannot be predicted:")} ${o.reason}`;
    case "ok": {
      const parts = [
        `${plural(o.caFiles.length, "CA file")} (${plural(o.caCertificates, "certificate")})`,
        plural(o.clientPairs.length, "client pair"),
      ];
      if (o.ignored.length) parts.push(`${o.ignored.length} ignored`);
      const toml =
        o.hostsToml?.status === "valid"
          ? " from hosts.toml"
          : o.hostsToml?.status === "invalid"
            ? " (hosts.toml ignored: it does not decode)"
            : "";
      return `${name}${k.green("✔ loads")} ${parts.join(", ")}${toml}`;
    }
  }
}

const SEVERITY_WIDTH = 8;

function severityLabel(s: Severity, k: typeof kleur): string {
  const text = s.padEnd(SEVERITY_WIDTH);
  return s === "error" ? k.red(text) : s === "warning" ? k.yellow(text) : k.blue(text);
}

function findingLines(findings: readonly Finding[], k: typeof kleur): string[] {
  const out: string[] = [];
  const fileWidth = Math.max(0, ...findings.map((f) => (f.file ?? "").length));
  for (const f of findings) {
    const label = f.fatal ? k.red().bold("fatal".padEnd(SEVERITY_WIDTH)) : severityLabel(f.severity, k);
    out.push(`  ${label}${(f.file ?? "").padEnd(fileWidth)}  ${f.message}  ${k.dim(`${f.ruleId} ${f.name}`)}`);
    // Runtimes that print the same text are named together.
    for (const said of runtimeSayings(f)) out.push(`  ${" ".repeat(SEVERITY_WIDTH + fileWidth + 2)}${k.dim(said)}`);
  }
  return out;
}

export function formatStylish(result: JsonReport, options: StylishOptions): string {
  const k = kleur;
  k.enabled = options.color;
  const out: string[] = result.context ? formatContext(result.context, options.color) : [];
  const byHost = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.host === "") continue;
    const key = path.join(f.root, f.host);
    const list = byHost.get(key) ?? [];
    list.push(f);
    byHost.set(key, list);
  }
  // Findings about the configuration itself (an expired or unused ignore) come first, under the file's name.
  const configFindings = result.findings.filter((f) => f.host === "");
  if (configFindings.length) {
    out.push(k.underline(shown(path.join(configFindings[0]!.root, configFindings[0]!.file ?? ""), options.cwd)));
    out.push(
      ...findingLines(
        configFindings.map((f) => ({ ...f, file: "" })),
        k,
      ),
      "",
    );
  }
  for (const h of result.hosts) {
    out.push(k.underline(shown(h.path, options.cwd)));
    for (const [runtime, o] of Object.entries(h.runtimes)) out.push(`  ${verdictLine(runtime, o, k)}`);
    out.push(...findingLines(byHost.get(path.join(h.root, h.name)) ?? [], k), "");
  }
  const c = countBySeverity(result.findings);
  const total = c.error + c.warning + c.info;
  const where = plural(result.hosts.length, "host directory", "host directories");
  if (total === 0) out.push(k.green(`✔ no problems in ${where}`));
  else {
    const mark = c.error ? k.red().bold("✖") : k.yellow().bold("⚠");
    out.push(
      `${mark} ${plural(total, "problem")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ` +
        `${plural(c.info, "info", "info")}) in ${where}`,
    );
  }
  return `${out.join("\n")}\n`;
}
