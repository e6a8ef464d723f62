/** Terminal and JSON renderings of `certsd-lint explain`. */
import kleur from "kleur";
import { docsUrl } from "../engine/rule.js";
import type { Explanation } from "./explain.js";
import { type ExplainWhere, whereLines } from "./where-lines.js";

export const EXPLAIN_FORMAT_VERSION = 1;

/** A rule's Markdown page for a terminal: headings emphasised, code indented, inline code highlighted. */
export function renderDocPage(markdown: string, color: boolean): string {
  const k = kleur;
  k.enabled = color;
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(/\n+$/, "").split("\n")) {
    if (line.startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    if (inCode) out.push(`    ${k.cyan(line)}`);
    else if (line.startsWith("# ")) out.push(k.bold().underline(line.slice(2)));
    else if (line.startsWith("## ")) out.push(k.bold(line.slice(3)));
    else
      out.push(
        line
          .replace(/`([^`]+)`/g, (_, c: string) => k.cyan(c))
          .replace(/\*\*([^*]+)\*\*/g, (_, b: string) => k.bold(b)),
      );
  }
  return `${out.join("\n")}\n`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Lines longer than `width` (visible characters) wrapped at spaces, continuation lines indented under the text
 * (past a list number such as " 1. "): for a terminal, so nothing is left to the terminal's own hard wrap.
 */
export function wrapLines(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const plain = line.replace(ANSI, "");
    if (plain.length <= width) {
      out.push(line);
      continue;
    }
    const lead = /^ */.exec(line)![0];
    const indent = " ".repeat(Math.min(width / 2, Math.max(2, /^\s*(?:\d+\.\s+)?/.exec(plain)![0].length)));
    let current = lead;
    let visible = lead.length;
    let first = true;
    for (const word of line.slice(lead.length).split(" ")) {
      const w = word.replace(ANSI, "").length;
      if (!first && visible + 1 + w > width) {
        out.push(current);
        current = indent + word;
        visible = indent.length + w;
      } else {
        current = first ? current + word : `${current} ${word}`;
        visible += (first ? 0 : 1) + w;
      }
      first = false;
    }
    out.push(current);
  }
  return out.join("\n");
}

/** How many of the ranked rules the text rendering shows without --all. */
export const SHOWN_RULES = 3;

const SOURCES: Record<string, string> = {
  podman: "podman/skopeo/buildah (containers/image)",
  klog: "kubelet / CRI log line",
  logrus: "daemon log line",
  docker: "docker CLI / dockerd",
  ctr: "ctr",
  crictl: "crictl",
  kubelet: "kubelet event",
  buildkit: "BuildKit",
};

function originLines(
  e: { source: string | null; reference: string | null; registry: string | null },
  where: ExplainWhere | null = null,
): string[] {
  if (!e.registry && !e.reference) return [];
  const what = [
    e.registry ? `registry ${e.registry}` : null,
    e.reference ? `image ${e.reference}` : null,
    e.source ? `from ${SOURCES[e.source] ?? e.source}` : null,
  ].filter(Boolean);
  const target = e.reference ?? e.registry!;
  if (where) return [`About: ${what.join(", ")}`];
  return [`About: ${what.join(", ")}`, `  certsd-lint where ${target} shows the directory each runtime reads for it.`];
}

export function renderExplanation(
  e: Exclude<Explanation, { kind: "rule" }>,
  color: boolean,
  options: { all?: boolean; where?: ExplainWhere | null } = {},
): string {
  const k = kleur;
  k.enabled = color;
  const lines: string[] = [];
  if (e.kind === "no-rule") {
    const hint = e.closest ? ` (did you mean ${e.closest}? certsd-lint explain ${e.closest})` : "";
    return `${k.yellow(`No rule ${e.query.trim()}`)}${hint}; certsd-lint rules lists every rule.\n`;
  }
  if (e.kind === "unknown") {
    lines.push(`${k.yellow("certsd-lint does not know this text:")} ${e.inner}`);
    lines.push(...originLines(e, options.where ?? null));
    if (options.where) lines.push("", ...whereLines(options.where));
    if (e.suggestions.length) {
      lines.push("", "The closest texts it knows (by the words they share):");
      for (const s of e.suggestions) lines.push(`  ${s.text}  ${k.dim(`→ ${s.rules.join(", ")}`)}`);
    } else lines.push("", "No text it knows shares a word with it.");
    lines.push(
      "",
      "What to do next:",
      "  1. Run certsd-lint on the certs root of the machine that printed it (e.g. " +
        "certsd-lint /etc/docker/certs.d): it",
      "     predicts what each runtime reads and says, file by file.",
      "  2. Paste the innermost part of the message (after 'Error response from daemon:' and any 'Get \"https://…\":').",
      "  3. certsd-lint rules lists every rule; certsd-lint explain <id> shows one.",
    );
    return `${lines.join("\n")}\n`;
  }
  lines.push(`${k.bold("Message:")} ${e.inner}`);
  lines.push(...originLines(e, options.where ?? null));
  for (const m of e.meanings) lines.push(`  ${m}`);
  if (options.where) lines.push("", ...whereLines(options.where));
  const shown = options.all ? e.rules : e.rules.slice(0, SHOWN_RULES);
  if (e.rules.length === 1) lines.push("", k.bold("The rule that explains it:"));
  else if (shown.length < e.rules.length)
    lines.push("", k.bold(`The ${shown.length} most likely of ${e.rules.length} rules, and what tells them apart:`));
  else if (e.rules.length)
    lines.push("", k.bold("Rules that can cause it, most likely first, and what tells them apart:"));
  else
    lines.push("", "No certs.d rule causes this: it comes from the host's configuration or from the registry itself.");
  shown.forEach((r) => {
    const sev =
      r.meta.severity === "error"
        ? k.red(r.meta.severity)
        : r.meta.severity === "warning"
          ? k.yellow(r.meta.severity)
          : k.blue(r.meta.severity);
    lines.push(`  ${String(r.rank).padStart(2)}. ${k.bold(r.meta.id)} ${r.meta.name} (${sev}): ${r.meta.description}`);
    if (e.rules.length > 1) lines.push(`      ${k.dim("check:")} ${r.check}`);
  });
  const rest = e.rules.length - shown.length;
  if (rest > 0)
    lines.push(
      `  ${rest} more: --all (${e.rules
        .slice(shown.length)
        .map((r) => r.meta.id)
        .join(", ")})`,
    );
  if (e.checks.length) {
    lines.push("", k.bold("Also check:"));
    for (const c of e.checks) lines.push(`  ${c}`);
  }
  if (e.rules[0])
    lines.push(
      "",
      k.dim(
        `certsd-lint <certs root> shows which file it is; ` +
          `certsd-lint explain ${e.rules[0].meta.id} shows the rule's page.`,
      ),
    );
  return `${lines.join("\n")}\n`;
}

/** `where`: the directory each runtime reads for the registry the text names (added when the CLI computed it). */
export function explanationJson(e: Explanation, where: ExplainWhere | null = null): object {
  const base = { version: EXPLAIN_FORMAT_VERSION, query: e.query };
  switch (e.kind) {
    case "rule":
      return { ...base, kind: "rule", rule: { ...e.meta, docs: docsUrl(e.meta) } };
    case "text":
      return {
        ...base,
        kind: "text",
        message: e.inner,
        source: e.source,
        reference: e.reference,
        registry: e.registry,
        ...(where ? { where } : {}),
        meanings: e.meanings,
        checks: e.checks,
        rules: e.rules.map((r) => ({
          id: r.meta.id,
          name: r.meta.name,
          severity: r.meta.severity,
          description: r.meta.description,
          via: r.via,
          rank: r.rank,
          score: r.score,
          check: r.check,
          docs: docsUrl(r.meta),
        })),
      };
    case "unknown":
      return {
        ...base,
        kind: "unknown",
        message: e.inner,
        source: e.source,
        reference: e.reference,
        registry: e.registry,
        ...(where ? { where } : {}),
        rules: [],
        suggestions: e.suggestions,
      };
    case "no-rule":
      return { ...base, kind: "no-rule", closest: e.closest };
  }
}
