/**
 * The tree format: each linted certs root drawn as tree(1) draws it (`tree -a`: the same guide characters, the same
 * order, the same closing "N directories, M files" line), each entry annotated with what every checked runtime does
 * with it. Runtimes that do the same are named once ("all 4: CA file, 1 certificate"); findings show only as their
 * rule ids, for `--format stylish` and `certsd-lint explain` to detail. A pure function of the JSON report.
 *
 * Order: tree 2.1.0 sorts names with strcoll(3) by default (its -v version sort is not the default: `10x` comes
 * before `1x`). In the C and C.UTF-8 locales strcoll is byte order, which is also the order Go's os.ReadDir gives
 * the loaders, so entries are drawn in byte order: the order a runtime reads them in, and where it stops. (In a
 * locale such as en_US.UTF-8, tree(1) itself would order by that locale's collation instead.)
 *
 * Differences from tree(1), on purpose or for want of data: the vertical guide is `│` and three plain spaces (tree
 * 2.1.0 writes two of them as no-break spaces); a symlinked host directory is descended into, as `tree -l` does;
 * below a host directory only names are known (the scan lists subdirectories, never reads them), so their entries
 * count as files; a name that is not UTF-8 shows U+FFFD where tree prints the byte in octal; and host directories
 * named on their own come after the roots, whatever the order on the command line.
 */
import path from "node:path";
import kleur from "kleur";
import type { Finding, Severity } from "../engine/rule.js";
import type { EntryVerdict, IgnoreReason, RuntimeId } from "../runtimes/types.js";
import { countBySeverity, type JsonReport, type ListedEntry, type RuntimeReport } from "./json.js";

export interface TreeOptions {
  color: boolean;
  /** Root paths are shown relative to this directory, as the user would have typed them. */
  cwd: string;
  /** Wrap annotations beneath their entry so that no line is longer than this; undefined: never wrap. */
  width?: number;
}

type Host = JsonReport["hosts"][number];

/** What one part of an annotation is, for its colour. */
type Tone = "plain" | "stop" | "warn" | "dim" | "findings";

interface Segment {
  text: string;
  tone: Tone;
}

/** A line of the tree: guides and name, the annotation beside it, and the guides its wrapped annotation goes under. */
interface Node {
  label: string;
  kind: "directory" | "file";
  segments: Segment[];
  children: Node[];
}

const MARK: Record<Severity, string> = { error: "✖", warning: "⚠", info: "ℹ" };

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Control characters as tree(1) prints them by default: a backslash and the character's code in octal (`\033`,
 * `\012`), so that no name can move the cursor, colour the terminal or break a line of the picture.
 */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/gu, (c) => `\\${c.codePointAt(0)!.toString(8).padStart(3, "0")}`);
}

function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

const IGNORED: Record<IgnoreReason, string> = {
  extension: "ignored: extension",
  "no-certificate": "ignored: no certificate",
  skipped: "skipped",
  "hosts-toml": "ignored: hosts.toml in charge",
};

/** What one runtime does with one entry, in a few words; `stops` when its error names this entry. */
function entryText(o: RuntimeReport, file: string): { text: string; stops: boolean } {
  const stops = o.status === "error" && o.errorFile === file;
  if (o.status === "not-read") return { text: "not read", stops };
  if (o.unreached.includes(file)) return { text: "never reached", stops };
  const v: EntryVerdict | undefined = o.verdicts?.find((e) => e.file === file);
  const ignored = o.ignored.find((i) => i.file === file);
  if (!v) return { text: ignored ? IGNORED[ignored.reason] : "not read", stops };
  // containerd's family collects the files first and loads them in steps (hostconfig.ts): on an error, whatever
  // it had not loaded before the failing step is never reached, though its verdict says what it would have been.
  if (o.hostsToml !== undefined && o.status === "error" && !stops && v.error === null && v.role !== "ignored") {
    const loaded = new Set([...o.caFiles, ...o.clientPairs.flat()]);
    if ((v.role === "ca" && (v.certificates ?? 0) > 0) || v.role.startsWith("client-"))
      if (!loaded.has(file)) return { text: "never reached", stops };
  }
  switch (v.role) {
    case "ca": {
      if (v.error !== null)
        return { text: v.cause === "read" ? "CA file, unreadable" : "CA file refused: no certificate", stops };
      const n = v.certificates ?? 0;
      if (n === 0) return { text: IGNORED["no-certificate"], stops };
      const skipped = v.skipped?.length ? `, ${plural(v.skipped.length, "block")} skipped` : "";
      return { text: `CA file, ${plural(n, "certificate")}${skipped}`, stops };
    }
    case "client-certificate":
    case "client-key": {
      const what = v.role === "client-certificate" ? "client certificate" : "client key";
      if (v.error === null)
        return {
          text:
            v.partner === v.file
              ? "client pair, certificate and key in one file"
              : `client pair with ${v.partner ?? "?"}`,
          stops,
        };
      if (v.cause === "missing-partner") return { text: `${what}, no ${v.partner ?? "partner"}`, stops };
      if (v.cause === "read") return { text: `${what}, unreadable`, stops };
      // A tls.X509KeyPair step failed; containerd takes a lone .cert as its own key (partner: itself).
      const pair = v.partner === undefined || v.partner === v.file ? `key in ${v.file}` : `with ${v.partner}`;
      return { text: `client pair (${pair}) refused`, stops };
    }
    case "config": {
      const t = o.hostsToml;
      if (v.error !== null) return { text: "hosts.toml refused", stops };
      if (t?.status === "valid")
        return { text: `hosts.toml in charge, ${plural(t.endpoints.length, "endpoint")}`, stops };
      if (t?.status === "invalid") return { text: "hosts.toml invalid: ignored", stops };
      if (t?.status === "empty") return { text: "hosts.toml empty", stops };
      return { text: "hosts.toml", stops };
    }
    case "ignored":
      return { text: IGNORED[v.ignore ?? ignored?.reason ?? "skipped"], stops };
    case "undetermined":
      return { text: "cannot be predicted", stops };
  }
}

/** Who a group of runtimes is: "all 4" when every checked runtime, else their ids. */
function who(ids: readonly string[], all: readonly string[]): string {
  return ids.length === all.length && all.length > 1 ? `all ${all.length}` : ids.join(", ");
}

/** Runtimes with the same text, once each, in the report's runtime order. */
function grouped<T>(ids: readonly RuntimeId[], textOf: (id: RuntimeId) => T | null, key: (t: T) => string) {
  const groups = new Map<string, { value: T; ids: RuntimeId[] }>();
  for (const id of ids) {
    const value = textOf(id);
    if (value === null) continue;
    const k = key(value);
    const g = groups.get(k);
    if (g) g.ids.push(id);
    else groups.set(k, { value, ids: [id] });
  }
  return [...groups.values()];
}

function findingSegment(findings: readonly Finding[]): Segment[] {
  if (findings.length === 0) return [];
  const seen = new Set<string>();
  const marks: string[] = [];
  for (const f of findings) {
    const mark = `${MARK[f.fatal ? "error" : f.severity]} ${f.ruleId}`;
    if (!seen.has(mark)) marks.push(mark);
    seen.add(mark);
  }
  return [{ text: marks.join(" "), tone: "findings" }];
}

function fileSegments(host: Host, file: string, findings: readonly Finding[]): Segment[] {
  const ids = Object.keys(host.runtimes) as RuntimeId[];
  const out: Segment[] = [];
  for (const g of grouped(
    ids,
    (id) => entryText(host.runtimes[id]!, file),
    (t) => `${t.stops ? 1 : 0}${t.text}`,
  )) {
    const names = who(g.ids, ids);
    // The entry the runtime's error names: "⮕ docker stops here: client certificate, no ca.key".
    if (g.value.stops)
      out.push({ text: `⮕ ${names} ${g.ids.length === 1 ? "stops" : "stop"} here: ${g.value.text}`, tone: "stop" });
    else out.push({ text: `${names}: ${g.value.text}`, tone: g.value.text.startsWith("ignored") ? "dim" : "plain" });
  }
  return [...out, ...findingSegment(findings)];
}

/** The directory-level outcomes: never read, cannot be predicted, or an error no listed entry carries. */
function hostSegments(host: Host, names: ReadonlySet<string>, findings: readonly Finding[]): Segment[] {
  const ids = Object.keys(host.runtimes) as RuntimeId[];
  const textOf = (id: RuntimeId): Segment | null => {
    const o = host.runtimes[id]!;
    if (o.status === "not-read") return { text: `never reads this directory: ${o.reason ?? ""}`, tone: "warn" };
    if (o.status === "undetermined") return { text: `cannot be predicted: ${o.reason ?? ""}`, tone: "warn" };
    if (o.status === "error" && (o.errorFile === null || !names.has(o.errorFile)))
      return {
        text: o.errorFile === null ? `fails: ${o.error ?? ""}` : `stops at ${o.errorFile}: ${o.error ?? ""}`,
        tone: "stop",
      };
    return null;
  };
  const out = grouped(ids, textOf, (s) => `${s.tone}${s.text}`).map((g) => ({
    text: `${who(g.ids, ids)}: ${g.value.text}`,
    tone: g.value.tone,
  }));
  // Files hosts.toml names outside the directory are not in the picture: say what is loaded from them.
  const outside = (id: RuntimeId): string | null => {
    const o = host.runtimes[id]!;
    const files = [...new Set([...o.caFiles, ...o.clientPairs.flat()])].filter((f) => !names.has(f));
    return files.length ? `also loads ${files.join(", ")}` : null;
  };
  for (const g of grouped(ids, outside, (t) => t)) out.push({ text: `${who(g.ids, ids)}: ${g.value}`, tone: "plain" });
  return [...out, ...findingSegment(findings)];
}

function entryLabel(e: ListedEntry): string {
  return printable(e.linkTarget !== undefined ? `${e.name} -> ${e.linkTarget}` : e.name);
}

/** tree(1) descends into a directory, not into a symlink to one. Below a host directory only names are known. */
function entryNode(host: Host, e: ListedEntry, findings: readonly Finding[]): Node {
  const isDir = e.kind === "directory";
  const descend = isDir && e.linkTarget === undefined;
  const label = descend && e.children === null ? `${entryLabel(e)}  [error opening dir]` : entryLabel(e);
  return {
    label,
    kind: isDir ? "directory" : "file",
    segments: fileSegments(
      host,
      e.name,
      findings.filter((f) => f.file === e.name),
    ),
    children: descend
      ? (e.children ?? []).map((c) => ({ label: printable(c), kind: "file" as const, segments: [], children: [] }))
      : [],
  };
}

function hostEntries(host: Host): ListedEntry[] {
  if (host.entries) return host.entries;
  // A report without listings (older, or hand-made): the entries some runtime has a verdict on.
  const names = new Set<string>();
  for (const o of Object.values(host.runtimes)) for (const v of o.verdicts ?? []) names.add(v.file);
  return [...names].sort(byBytes).map((name) => ({ name, kind: "file" as const }));
}

function hostNode(host: Host, label: string, findings: readonly Finding[]): Node {
  const entries = hostEntries(host);
  const mine = findings.filter((f) => f.root === host.root && f.host === host.name);
  const notADirectory = host.listError !== undefined && / not a directory$/.test(host.listError);
  const names = new Set(entries.map((e) => e.name));
  // Findings about the directory, and about files outside it (a CA hosts.toml names by absolute path), go beside it.
  const segments = hostSegments(
    host,
    names,
    mine.filter((f) => f.file === null || !names.has(f.file)),
  );
  // A symlinked host directory is drawn `name -> target` and, unlike tree's default, descended into (as `tree -l`
  // does): the runtimes read through the link, and its files are what this picture is about.
  const linked = host.linkTarget !== undefined ? `${label} -> ${printable(host.linkTarget)}` : label;
  return {
    label: host.listError !== undefined && !notADirectory ? `${linked}  [error opening dir]` : linked,
    kind: notADirectory ? "file" : "directory",
    segments,
    children: entries.map((e) => entryNode(host, e, mine)),
  };
}

interface Drawn {
  lines: Array<{ text: string; segments: Segment[]; cont: string }>;
  directories: number;
  files: number;
}

/** Draws a top node and everything below it, counting as tree(1) does. */
function draw(top: Node): Drawn {
  const d: Drawn = { lines: [], directories: 0, files: 0 };
  // tree 2.1.0 counts the directory it was given when listing it yields entries.
  if (top.children.length) d.directories++;
  const walk = (node: Node, prefix: string, childPrefix: string) => {
    d.lines.push({
      text: `${prefix}${node.label}`,
      segments: node.segments,
      cont: `${childPrefix}${node.children.length ? "│" : " "} `,
    });
    node.children.forEach((c, i) => {
      const last = i === node.children.length - 1;
      if (c.kind === "directory") d.directories++;
      else d.files++;
      walk(c, `${childPrefix}${last ? "└── " : "├── "}`, `${childPrefix}${last ? "    " : "│   "}`);
    });
  };
  walk(top, "", "");
  return d;
}

const SEPARATOR = "; ";

function visible(s: string): number {
  return [...s].length;
}

/** Words of `text` in lines of at most `room` characters; a word longer than that is cut. */
function wrapText(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    while (visible(word) > room) {
      if (line) lines.push(line);
      line = "";
      const chars = [...word];
      lines.push(chars.slice(0, room).join(""));
      word = chars.slice(room).join("");
    }
    if (!line) line = word;
    else if (visible(line) + 1 + visible(word) <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function paint(s: Segment, text: string, k: typeof kleur): string {
  switch (s.tone) {
    case "stop":
      return k.red().bold(text);
    case "warn":
      return k.yellow(text);
    case "dim":
      return k.dim(text);
    case "findings":
      return text.replace(/([✖⚠ℹ]) (\S+)/gu, (m: string, mark: string) =>
        mark === "✖" ? k.red(m) : mark === "⚠" ? k.yellow(m) : k.blue(m),
      );
    case "plain":
      return text;
  }
}

function render(d: Drawn, width: number | undefined, k: typeof kleur): string[] {
  const out: string[] = [];
  for (const drawn of d.lines) {
    // Annotations quote names and the programs' errors, which hold paths: printable, like the names.
    const line = { ...drawn, segments: drawn.segments.map((s) => ({ ...s, text: printable(s.text) })) };
    if (!line.segments.length) {
      out.push(line.text);
      continue;
    }
    const flat = `${line.text}  ${line.segments.map((s) => s.text).join(SEPARATOR)}`;
    if (width === undefined || visible(flat) <= width) {
      out.push(`${line.text}  ${line.segments.map((s) => paint(s, s.text, k)).join(SEPARATOR)}`);
      continue;
    }
    // Too wide: each part of the annotation on lines of its own beneath the entry, past the guides; the rule ids
    // stay beside the name when they fit there.
    const marks = line.segments.find((s) => s.tone === "findings");
    const beside = marks && visible(`${line.text}  ${marks.text}`) <= width ? marks : undefined;
    out.push(beside ? `${line.text}  ${paint(beside, beside.text, k)}` : line.text);
    const room = Math.max(20, width - visible(line.cont));
    for (const s of line.segments) {
      if (s === beside) continue;
      wrapText(s.text, room).forEach((piece, i) => {
        out.push(`${line.cont}${i ? "  " : ""}${paint(s, piece, k)}`);
      });
    }
  }
  return out;
}

export function formatTree(report: JsonReport, options: TreeOptions): string {
  const k = kleur;
  k.enabled = options.color;
  const tops: Node[] = [];
  const rootPaths = new Set((report.roots ?? []).map((r) => r.path));
  const roots =
    report.roots ??
    [...new Set(report.hosts.map((h) => h.root))].map((p) => ({ path: p, looseFiles: [] as ListedEntry[] }));
  if (!report.roots) for (const r of roots) rootPaths.add(r.path);
  for (const r of roots) {
    const children: Array<{ name: string; node: Node }> = [];
    for (const h of report.hosts.filter((x) => x.root === r.path))
      children.push({ name: h.name, node: hostNode(h, printable(h.name), report.findings) });
    for (const e of r.looseFiles)
      children.push({
        name: e.name,
        node: {
          label: entryLabel(e),
          kind: e.kind === "directory" ? "directory" : "file",
          segments: [{ text: "not in a host directory: never read", tone: "dim" }],
          children: [],
        },
      });
    children.sort((a, b) => byBytes(a.name, b.name));
    tops.push({
      label: printable(shown(r.path, options.cwd)),
      kind: "directory",
      segments: [],
      children: children.map((c) => c.node),
    });
  }
  // Host directories named on their own (not found by walking a root) are trees of their own.
  for (const h of report.hosts.filter((x) => !rootPaths.has(x.root)))
    tops.push(hostNode(h, printable(shown(h.path, options.cwd)), report.findings));

  const out: string[] = [];
  let directories = 0;
  let files = 0;
  for (const top of tops) {
    const d = draw(top);
    directories += d.directories;
    files += d.files;
    out.push(...render(d, options.width, k));
  }
  out.push("", `${plural(directories, "directory", "directories")}, ${plural(files, "file")}`);
  const c = countBySeverity(report.findings);
  const total = c.error + c.warning + c.info;
  if (total > 0) {
    const first = report.findings[0]!.ruleId;
    const problems =
      `${plural(total, "problem")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ` +
      `${plural(c.info, "info", "info")}): details with --format stylish, or certsd-lint explain ${first}`;
    out.push(...(options.width === undefined ? [problems] : wrapText(problems, Math.max(20, options.width))));
  }
  return `${out.join("\n")}\n`;
}
