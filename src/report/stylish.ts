/**
 * The terminal format, to be read at a glance. Per host directory: what the runtimes do with it — one line when the
 * checked runtimes agree, a line per group where they differ — then its findings, the one to fix first first: the
 * headline, what each runtime prints (marked "⮕ … stops here" where that text is the runtime's outcome), the fix, and
 * with --verbose why. Lines are wrapped to `width` when one is given (the CLI gives the terminal's width, or COLUMNS
 * when piped); without one each part is a line of its own, which grep likes. Fix commands are never broken inside a
 * word: a long one continues with " \" (or after "&&"), so it still runs when pasted. Colour comes from kleur and is
 * switched on by the caller only.
 */
import { formatContext } from "./context.js";
import path from "node:path";
import kleur from "kleur";
import type { FailureThreshold, Finding, Severity } from "../engine/rule.js";
import { SEVERITIES } from "../engine/rule.js";
import type { RuntimeId } from "../runtimes/types.js";
import { countBySeverity, type JsonReport, type RuntimeReport } from "./json.js";

export type Verbosity = "quiet" | "normal" | "verbose";

export interface StylishOptions {
  color: boolean;
  cwd: string;
  /** Wrap to this many columns; undefined: one line per part. */
  width?: number;
  /** quiet: only hosts with findings at or above `threshold`, and only those findings; verbose: each finding's why. */
  verbosity?: Verbosity;
  /** What --quiet keeps (the run's failure threshold; default error). */
  threshold?: FailureThreshold;
}

type Host = JsonReport["hosts"][number];

function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Words laid into lines of at most `width` columns: the first after `first`, the rest after `next`. */
export function wrap(text: string, width: number | undefined, first: string, next: string): string[] {
  if (width === undefined) return [first + text];
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(/ +/)) {
    if (word === "") continue;
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = next + word;
    } else line += (fresh ? "" : " ") + word;
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A shell command laid into lines that still run when pasted: broken only between words, after "&&" or "|" where
 * it can, otherwise with a trailing " \"; a single word longer than the line stays whole.
 */
export function wrapCommand(command: string, width: number | undefined, indent: string): string[] {
  if (width === undefined || indent.length + command.length <= width) return [indent + command];
  // Pieces that end at "&&" or "|": a line may end after one of them and the shell reads on.
  const pieces = command.split(/(?<= (?:&&|\|)) /);
  const lines: string[] = [];
  let line = "";
  const lead = () => (lines.length ? `${indent}  ` : indent);
  for (const piece of pieces) {
    if (line && lead().length + line.length + 1 + piece.length <= width) {
      line += ` ${piece}`;
      continue;
    }
    if (line) lines.push(lead() + line);
    line = "";
    // A piece too long for a line of its own: between words, with " \" (a word longer than the line stays whole).
    for (const word of piece.split(" ")) {
      if (line && lead().length + line.length + 1 + word.length + 2 > width) {
        lines.push(`${lead()}${line} \\`);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(lead() + line);
  return lines;
}

const AT_LEAST: Record<FailureThreshold, readonly Severity[]> = {
  error: ["error"],
  warning: ["error", "warning"],
  info: SEVERITIES,
  none: [],
};

/** What one runtime does with the directory, in a few words, and the mark that goes with it. */
function outcomeWords(
  o: RuntimeReport,
  stopsAt: Finding | undefined,
  explainedBy: Finding | undefined,
): { mark: string; text: (many: boolean) => string } {
  const v = (verb: string) => (many: boolean) => (many ? verb : `${verb}s`);
  switch (o.status) {
    case "error":
      return stopsAt
        ? { mark: "✖", text: (m) => `${v("stop")(m)} at ${stopsAt.file ?? "this directory"} (${stopsAt.ruleId})` }
        : { mark: "✖", text: (m) => `${v("fail")(m)}: ${o.printed ?? o.error}` };
    case "not-read":
      // The reason in full, unless a finding about the directory explains it (its headline and why say it all).
      return {
        mark: "–",
        text: (m) =>
          `never ${v("read")(m)} this directory${explainedBy ? ` (${explainedBy.ruleId})` : `: ${o.reason}`}`,
      };
    case "undetermined":
      return { mark: "?", text: () => `cannot be predicted: ${o.reason}` };
    case "ok": {
      const certs = o.caCertificates === o.caFiles.length ? "" : ` (${plural(o.caCertificates, "certificate")})`;
      const parts = [
        o.caFiles.length ? `${plural(o.caFiles.length, "CA file")}${certs}` : "no CA file",
        o.clientPairs.length ? plural(o.clientPairs.length, "client pair") : "no client pair",
      ];
      if (o.ignored.length) parts.push(`${o.ignored.length} ignored`);
      const toml =
        o.hostsToml?.status === "valid"
          ? ", from hosts.toml"
          : o.hostsToml?.status === "invalid"
            ? " (hosts.toml ignored: it does not decode)"
            : "";
      return { mark: "✔", text: () => `${parts.join(", ")}${toml}` };
    }
  }
}

/** Does the runtime print this text as its outcome (the error it stops with)? */
function isOutcome(o: RuntimeReport, text: string): boolean {
  return o.status === "error" && (o.error === text || o.printed === text || (o.printed ?? "").endsWith(text));
}

/** For each runtime that stops, the first finding (in the shown order) that carries its outcome text. */
function stopsAt(host: Host, findings: readonly Finding[]): Map<RuntimeId, Finding> {
  const out = new Map<RuntimeId, Finding>();
  for (const [runtime, o] of Object.entries(host.runtimes) as Array<[RuntimeId, RuntimeReport]>) {
    const f = findings.find((f) => f.runtimeErrors[runtime] !== undefined && isOutcome(o, f.runtimeErrors[runtime]));
    if (f) out.set(runtime, f);
  }
  return out;
}

/** The order to fix them in: what a runtime stops at first, then by severity; otherwise as reported. */
function fixOrder(findings: readonly Finding[], host: Host): Finding[] {
  const stopping = new Set(stopsAt(host, findings).values());
  const rank = (f: Finding) => (f.fatal ? 0 : stopping.has(f) ? 1 : 2 + SEVERITIES.indexOf(f.severity));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

function names(runtimes: readonly string[], all: number): string {
  if (runtimes.length === all && all > 1) return all === 2 ? "both runtimes" : `all ${all} runtimes`;
  return runtimes.join(", ");
}

interface Painter {
  k: typeof kleur;
  width: number | undefined;
}

function markColour(mark: string, k: typeof kleur): (s: string) => string {
  return mark === "✔" ? k.green : mark === "✖" ? k.red : k.yellow;
}

/**
 * The host's line and its runtime lines: when the checked runtimes all do the same, it is said on the host's line;
 * otherwise a line per group of runtimes that do the same.
 */
function hostLines(host: Host, findings: readonly Finding[], p: Painter, title: string): string[] {
  const stops = stopsAt(host, findings);
  const groups = new Map<string, { mark: string; text: (many: boolean) => string; runtimes: RuntimeId[] }>();
  for (const [runtime, o] of Object.entries(host.runtimes) as Array<[RuntimeId, RuntimeReport]>) {
    const explained = findings.find((f) => f.file === null && f.runtimes.includes(runtime));
    const words = outcomeWords(o, stops.get(runtime), explained);
    // A runtime that loads but has an error (or warning) finding against it is not shown as fine.
    const worst = findings.find((f) => f.runtimes.includes(runtime) && f.severity !== "info")?.severity;
    const mark = words.mark === "✔" && worst ? (worst === "error" ? "✖" : "⚠") : words.mark;
    const key = `${mark}\0${words.text(true)}`;
    const g = groups.get(key) ?? { mark, text: words.text, runtimes: [] };
    g.runtimes.push(runtime);
    groups.set(key, g);
  }
  const all = Object.keys(host.runtimes).length;
  const said = (g: { mark: string; text: (many: boolean) => string; runtimes: RuntimeId[] }) =>
    `${names(g.runtimes, all)}: ${g.text(g.runtimes.length > 1)}`;
  const paint = (line: string, g: { mark: string }) => line.replace(g.mark, markColour(g.mark, p.k)(g.mark));
  const list = [...groups.values()];
  if (list.length === 1) {
    const g = list[0]!;
    const lines = wrap(`${g.mark} ${said(g)}`, p.width, `${title}  `, "    ");
    return lines.map((l, i) => (i === 0 ? p.k.bold(title) + paint(l.slice(title.length), g) : l));
  }
  return [
    p.k.bold(title),
    ...list.flatMap((g) => wrap(`${g.mark} ${said(g)}`, p.width, "  ", "      ").map((l, i) => (i ? l : paint(l, g)))),
  ];
}

const LABEL_WIDTH = 8;

function label(f: Finding, k: typeof kleur): string {
  if (f.fatal) return k.red().bold("fatal".padEnd(LABEL_WIDTH));
  const text = f.severity.padEnd(LABEL_WIDTH);
  return f.severity === "error" ? k.red(text) : f.severity === "warning" ? k.yellow(text) : k.blue(text);
}

/** What the runtimes print for a finding, each text once, the runtimes that stop there marked. */
function sayings(f: Finding, host: Host | null, stops: Map<RuntimeId, Finding>): string[] {
  const all = host ? Object.keys(host.runtimes).length : 0;
  const who = (ids: RuntimeId[]) => (ids.length === all && all > 2 ? `all ${all}` : ids.join(", "));
  const byText = new Map<string, { stop: RuntimeId[]; say: RuntimeId[] }>();
  for (const [runtime, text] of Object.entries(f.runtimeErrors) as Array<[RuntimeId, string]>) {
    const e = byText.get(text) ?? { stop: [], say: [] };
    (host && stops.get(runtime) === f ? e.stop : e.say).push(runtime);
    byText.set(text, e);
  }
  const out: string[] = [];
  for (const [text, e] of byText) {
    // A text certsd-lint words itself is never shown as the program's own.
    const note = [...e.stop, ...e.say].some((r) => f.reworded?.includes(r))
      ? " (in certsd-lint's words, not verbatim)"
      : "";
    if (e.stop.length) out.push(`⮕ ${who(e.stop)} ${e.stop.length === 1 ? "stops" : "stop"} here${note}: ${text}`);
    if (e.say.length) out.push(`${who(e.say)} ${e.say.length === 1 ? "says" : "say"}${note}: ${text}`);
  }
  return out;
}

function findingLines(f: Finding, host: Host | null, stops: Map<RuntimeId, Finding>, p: Painter, verbose: boolean) {
  const { k, width } = p;
  const out: string[] = [];
  const id = verbose ? `${f.ruleId} ${f.name}` : f.ruleId;
  const pad = " ".repeat(2 + LABEL_WIDTH);
  const lines = wrap(f.headline, width, `${pad}${f.file ? `${f.file}  ` : ""}`, pad);
  // The rule id at the end of the headline, dimmed; on a line of its own when it does not fit there.
  const last = lines.length - 1;
  if (width === undefined || lines[last]!.length + 2 + id.length <= width) lines[last] = `${lines[last]}  ${k.dim(id)}`;
  else lines.push(`${pad}${k.dim(id)}`);
  lines[0] = `  ${label(f, k)}${lines[0]!.slice(pad.length)}`;
  out.push(...lines);
  const indent = "    ";
  for (const said of sayings(f, host, stops)) {
    const stop = said.startsWith("⮕");
    for (const l of wrap(said, width, indent, `${indent}  `)) out.push(stop ? k.bold(l) : k.dim(l));
  }
  if (f.fix) {
    const fixLines = wrap(`fix: ${f.fix.text}`, width, indent, `${indent}     `);
    if (f.fix.command) {
      const joined = `${fixLines[fixLines.length - 1]} ${f.fix.command}`;
      // The command on the fix's own line when it fits there (or nothing wraps); otherwise on lines of its own.
      if (width === undefined || (fixLines.length === 1 && joined.length <= width))
        fixLines[fixLines.length - 1] = joined;
      else fixLines.push(...wrapCommand(f.fix.command, width, `${indent}  `));
    }
    out.push(...fixLines.map((l) => k.cyan(l)));
  }
  if (verbose && f.why) out.push(...wrap(`why: ${f.why}`, width, indent, `${indent}     `));
  if (verbose && f.docsUrl) out.push(k.dim(`${indent}see ${f.docsUrl}`));
  return out;
}

export function formatStylish(result: JsonReport, options: StylishOptions): string {
  const k = kleur;
  k.enabled = options.color;
  const p: Painter = { k, width: options.width && options.width >= 40 ? options.width : undefined };
  const verbosity = options.verbosity ?? "normal";
  const kept = new Set(AT_LEAST[options.threshold ?? "error"]);
  const shownFinding = (f: Finding) => verbosity !== "quiet" || f.fatal === true || kept.has(f.severity);
  const out: string[] = result.context ? formatContext(result.context, options.color, p.width) : [];
  const byHost = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.host === "" || !shownFinding(f)) continue;
    const key = path.join(f.root, f.host);
    byHost.set(key, [...(byHost.get(key) ?? []), f]);
  }
  // Findings about the configuration itself (an expired or unused ignore) come first, under the file's name.
  const configFindings = result.findings.filter((f) => f.host === "" && shownFinding(f));
  if (configFindings.length) {
    out.push(k.underline(shown(path.join(configFindings[0]!.root, configFindings[0]!.file ?? ""), options.cwd)));
    for (const f of configFindings)
      out.push(...findingLines({ ...f, file: null }, null, new Map(), p, verbosity === "verbose"));
    out.push("");
  }
  let root: string | null = null;
  for (const h of result.hosts) {
    const findings = fixOrder(byHost.get(path.join(h.root, h.name)) ?? [], h);
    if (verbosity === "quiet" && findings.length === 0) continue;
    // Each certs root once, its host directories by name beneath it.
    if (h.root !== root) {
      if (root !== null) out.push("");
      root = h.root;
      out.push(k.underline(shown(h.root, options.cwd)));
    }
    out.push(...hostLines(h, findings, p, h.name));
    const stops = stopsAt(h, findings);
    for (const f of findings) out.push(...findingLines(f, h, stops, p, verbosity === "verbose"));
  }
  if (root !== null) out.push("");
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
