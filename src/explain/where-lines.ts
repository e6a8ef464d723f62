/**
 * `explain`'s compact `where` answer (issue 13): for the registry a pasted error names, one line per runtime with
 * the directory it reads and whether it exists, or why it reads none. The CLI computes the answer (src/cli/where.ts,
 * with the machine's configuration when --host or --sysroot is given) and passes it in.
 */
import path from "node:path";
import type { Lookup, WhereAnswer } from "../runtimes/where.js";

export interface ExplainWhere {
  /** The reference or registry the answer is for, as `certsd-lint where` takes it. */
  target: string;
  /** The registry host the runtimes were asked about. */
  host: string;
  /** "host", "sysroot", or null when only the built-in rules were applied. */
  source: "host" | "sysroot" | null;
  /** The options to repeat in the `where` command shown (`--host`, `--sysroot DIR`, `--root DIR`). */
  flags: string[];
  runtimes: WhereAnswer[];
}

const WIDTH = 80;

/** Greedy wrap at spaces to WIDTH, keeping the text's indent; continuation lines indented by `rest`. */
function wrap(text: string, rest: string): string[] {
  const lead = /^ */.exec(text)![0];
  const out: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    if (line.trim() && line.length + 1 + word.length > WIDTH) {
      out.push(line);
      line = rest + word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  out.push(line);
  return out;
}

/** The directory a runtime would read had it existed: the host's own name in the first root, else the first tried. */
function wanted(l: Lookup, host: string): string | null {
  const own = l.candidates.find((c) => path.basename(c.path) === host);
  return (own ?? l.candidates[0])?.path ?? null;
}

function state(l: Lookup, host: string): string {
  switch (l.status) {
    case "reads":
      return `reads ${l.directory} (exists)`;
    case "no-directory": {
      const w = wanted(l, host);
      const others = l.candidates.length - 1;
      return w
        ? `none: ${w} missing${others > 0 ? ` (+${others} other candidate${others > 1 ? "s" : ""})` : ""}`
        : "none";
    }
    case "skipped":
      return `none: ${l.reason}`;
    case "error":
      return `fails: ${l.reason}`;
    case "not-modelled":
      return "not modelled";
  }
}

export function whereLines(w: ExplainWhere): string[] {
  const host = w.host;
  const how =
    w.source === "host"
      ? "this machine's configuration"
      : w.source === "sysroot"
        ? "the sysroot's configuration"
        : "built-in rules only; see --host";
  const out = wrap(`Directories read for ${host} (${how}):`, "  ");
  for (const a of w.runtimes) {
    out.push(...wrap(`  ${a.name}: ${state(a, host)}`, "      "));
    for (const m of a.mirrors ?? []) out.push(...wrap(`    mirror ${m.mirror}: ${state(m, m.mirror)}`, "      "));
  }
  out.push(...wrap(`  certsd-lint where ${[w.target, ...w.flags].join(" ")} shows every candidate and why.`, "    "));
  return out;
}
