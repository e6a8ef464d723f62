/** Terminal and JSON renderings of `certsd-lint explain`. */
import kleur from "kleur";
import { docsUrl } from "../engine/rule.js";
import type { Explanation } from "./explain.js";

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

export function renderExplanation(e: Exclude<Explanation, { kind: "rule" }>, color: boolean): string {
  const k = kleur;
  k.enabled = color;
  const lines: string[] = [];
  if (e.kind === "no-rule") {
    const hint = e.closest ? ` (did you mean ${e.closest}? certsd-lint explain ${e.closest})` : "";
    return `${k.yellow(`No rule ${e.query.trim()}`)}${hint}; certsd-lint rules lists every rule.\n`;
  }
  if (e.kind === "unknown") {
    lines.push(`${k.yellow("certsd-lint does not know this text:")} ${e.inner}`);
    if (e.suggestions.length) {
      lines.push("", "The closest texts it knows:");
      for (const s of e.suggestions) lines.push(`  ${s.text}  ${k.dim(`→ ${s.rules.join(", ")}`)}`);
    }
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
  for (const m of e.meanings) lines.push(`  ${m}`);
  if (e.rules.length) lines.push("", k.bold("Rules that can cause it, most likely first:"));
  else
    lines.push("", "No certs.d rule causes this: it comes from the host's configuration or from the registry itself.");
  e.rules.forEach((r, i) => {
    const sev =
      r.meta.severity === "error"
        ? k.red(r.meta.severity)
        : r.meta.severity === "warning"
          ? k.yellow(r.meta.severity)
          : k.blue(r.meta.severity);
    lines.push(`  ${String(i + 1).padStart(2)}. ${k.bold(r.meta.id)} ${r.meta.name} (${sev}): ${r.meta.description}`);
  });
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

export function explanationJson(e: Explanation): object {
  const base = { version: EXPLAIN_FORMAT_VERSION, query: e.query };
  switch (e.kind) {
    case "rule":
      return { ...base, kind: "rule", rule: { ...e.meta, docs: docsUrl(e.meta) } };
    case "text":
      return {
        ...base,
        kind: "text",
        message: e.inner,
        meanings: e.meanings,
        checks: e.checks,
        rules: e.rules.map((r) => ({
          id: r.meta.id,
          name: r.meta.name,
          severity: r.meta.severity,
          description: r.meta.description,
          via: r.via,
          docs: docsUrl(r.meta),
        })),
      };
    case "unknown":
      return { ...base, kind: "unknown", message: e.inner, rules: [], suggestions: e.suggestions };
    case "no-rule":
      return { ...base, kind: "no-rule", closest: e.closest };
  }
}
