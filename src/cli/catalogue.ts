/** `certsd-lint rules` and `certsd-lint explain`: the rule catalogue, without the crypto libraries. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { docsUrl } from "../engine/rule.js";
import { type Explanation, explain } from "../explain/explain.js";
import { explanationJson, renderDocPage, renderExplanation, wrapLines } from "../explain/render.js";
import type { ExplainWhere } from "../explain/where-lines.js";
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

export interface ExplainRequest {
  query: string;
  format: "text" | "json";
  color: boolean;
  all?: boolean;
  /** --host, --sysroot, --root: the `where` answer with the machine's configuration (issue 13). */
  host?: boolean;
  sysroot?: string;
  root?: string;
}

/**
 * The `where` answer for the registry the text names (its image reference first, else its registry), or null when
 * it names none or nothing in it parses as a reference. A usage problem with --sysroot/--root is one line, exit 2.
 */
async function whereFor(e: Explanation, o: ExplainRequest): Promise<ExplainWhere | null | Error> {
  if (e.kind !== "text" && e.kind !== "unknown") return null;
  const { whereAnswers, WhereUsage } = await import("./where.js");
  const { parseLoginArgument, parseTarget } = await import("../runtimes/reference.js");
  const flags = [
    ...(o.sysroot !== undefined ? ["--sysroot", o.sysroot] : o.host ? ["--host"] : []),
    ...(o.root !== undefined ? ["--root", o.root] : []),
  ];
  type Parse = typeof parseTarget;
  // A registry from a URL (`Get "https://myreg:5000/v2/"`) is a host[:port]: read as a registry, never an image.
  const asRegistry: Parse = (s) => ({ ...parseLoginArgument(s), kind: "registry" });
  const tries: Array<[string, Parse]> = [];
  if (e.reference) tries.push([e.reference, parseTarget]);
  if (e.registry) tries.push([e.registry, asRegistry]);
  for (const [target, parse] of tries) {
    try {
      const r = await whereAnswers(
        {
          ref: target,
          mirrors: [],
          ...(o.host ? { host: true } : {}),
          ...(o.sysroot !== undefined ? { sysroot: o.sysroot } : {}),
          ...(o.root !== undefined ? { root: o.root } : {}),
        },
        parse,
      );
      // The command shown must mean the same host: `where myreg` would be Docker Hub's image, `where https://myreg/` not.
      let shown = target;
      if (parse === asRegistry) {
        try {
          if (parseTarget(target).host !== r.ref.host) shown = `https://${target}/`;
        } catch {
          shown = `https://${target}/`;
        }
      }
      return { target: shown, host: r.ref.host, source: r.context?.source ?? null, flags, runtimes: r.answers };
    } catch (err) {
      if (!(err instanceof WhereUsage)) throw err;
      if (/^--/.test(err.message)) return err;
    }
  }
  return null;
}

/** Exit 0 when the query is a rule or a known text; 1 when the text is unknown (scripts can tell). */
export async function runExplain(o: ExplainRequest): Promise<number> {
  if (!o.query.trim()) {
    process.stderr.write("certsd-lint: explain: give a rule id (CD301) or an error text\n");
    return 2;
  }
  const e = explain(o.query, METAS);
  const where = await whereFor(e, o);
  if (where instanceof Error) {
    process.stderr.write(`certsd-lint: explain: ${where.message}\n`);
    return 2;
  }
  if (o.format === "json") {
    process.stdout.write(`${JSON.stringify(explanationJson(e, where), null, 2)}\n`);
    return e.kind === "unknown" || e.kind === "no-rule" ? 1 : 0;
  }
  if (e.kind === "rule") {
    const page = readFileSync(path.join(packageRoot(), docsUrl(e.meta)), "utf8");
    process.stdout.write(renderDocPage(page, o.color));
    return 0;
  }
  const text = renderExplanation(e, o.color, { all: o.all === true, where });
  process.stdout.write(process.stdout.isTTY ? wrapLines(text, process.stdout.columns || 80) : text);
  return e.kind === "unknown" || e.kind === "no-rule" ? 1 : 0;
}
