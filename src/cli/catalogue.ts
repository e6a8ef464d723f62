/** `certsd-lint rules` and `certsd-lint explain`: the rule catalogue, without the crypto libraries. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { docsUrl } from "../engine/rule.js";
import { explain } from "../explain/explain.js";
import { explanationJson, renderDocPage, renderExplanation, wrapLines } from "../explain/render.js";
import { rulesJson, rulesMarkdown, rulesTable } from "../report/rules.js";
import { packageRoot, toolInfo } from "../version.js";
import { RULES } from "../../rules/index.js";

const METAS = RULES.map((r) => r.meta);

export function runRules(o: { format: "table" | "json" | "markdown"; color: boolean }): number {
  if (o.format === "json") process.stdout.write(`${JSON.stringify(rulesJson(METAS, toolInfo()), null, 2)}\n`);
  else if (o.format === "markdown") process.stdout.write(rulesMarkdown(METAS));
  // Not a terminal (a pipe, a file): whole descriptions, never cut; a terminal: wrapped to its width.
  else process.stdout.write(rulesTable(METAS, o.color, process.stdout.isTTY ? process.stdout.columns || 80 : null));
  return 0;
}

/** Exit 0 when the query is a rule or a known text; 1 when the text is unknown (scripts can tell). */
export function runExplain(o: { query: string; format: "text" | "json"; color: boolean; all?: boolean }): number {
  if (!o.query.trim()) {
    process.stderr.write("certsd-lint: explain: give a rule id (CD301) or an error text\n");
    return 2;
  }
  const e = explain(o.query, METAS);
  if (o.format === "json") {
    process.stdout.write(`${JSON.stringify(explanationJson(e), null, 2)}\n`);
    return e.kind === "unknown" || e.kind === "no-rule" ? 1 : 0;
  }
  if (e.kind === "rule") {
    const page = readFileSync(path.join(packageRoot(), docsUrl(e.meta)), "utf8");
    process.stdout.write(renderDocPage(page, o.color));
    return 0;
  }
  const text = renderExplanation(e, o.color, { all: o.all === true });
  process.stdout.write(process.stdout.isTTY ? wrapLines(text, process.stdout.columns || 80) : text);
  return e.kind === "unknown" || e.kind === "no-rule" ? 1 : 0;
}
