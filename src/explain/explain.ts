/**
 * `certsd-lint explain`: a rule (by id or name), or an error text a runtime printed, pasted as is (any historic
 * wording, with or without `Error response from daemon:`, a logrus line, a path), mapped to the rules that can cause
 * it, most likely first. Unknown text gets the closest known messages and what to do next, never silence.
 */
import type { RuleMeta } from "../engine/rule.js";
import { type MessageEntry, MESSAGES, WRAPPERS } from "./messages.js";
import { RULE_ID } from "../engine/rule.js";
import { closest } from "../suggest.js";

export interface RankedRule {
  meta: RuleMeta;
  /** Why it is listed: the message entry's meaning, or the program text it matched. */
  via: string;
  score: number;
}

export interface Suggestion {
  text: string;
  rules: string[];
}

export type Explanation =
  | { kind: "rule"; query: string; meta: RuleMeta }
  | { kind: "text"; query: string; inner: string; meanings: string[]; checks: string[]; rules: RankedRule[] }
  | { kind: "unknown"; query: string; inner: string; suggestions: Suggestion[] }
  /** A rule id that names no rule: the nearest ids instead of a search of error texts. */
  | { kind: "no-rule"; query: string; closest: string | null };

/** A logrus line (`level=error msg="…" error="…"`) as the message it carries. */
function unLogrus(text: string): string {
  const field = (name: string) => {
    const m = new RegExp(`${name}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(text);
    if (!m) return null;
    const v = m[1]!;
    try {
      return v.startsWith('"') ? (JSON.parse(v) as string) : v;
    } catch {
      return v.slice(1, -1);
    }
  };
  if (!/\blevel=\w+/.test(text) || !/\bmsg=/.test(text)) return text;
  const msg = field("msg") ?? "";
  const err = field("error");
  return err ? `${msg}: ${err}` : msg;
}

/** The message without the runtimes' wrapping, for display: the part that carries the diagnosis. */
export function innerMessage(text: string): string {
  let s = unLogrus(text.replace(/\s+/g, " ").trim());
  for (let changed = true; changed;) {
    changed = false;
    for (const w of WRAPPERS) {
      const next = s.replace(w, "");
      if (next !== s && next.length > 0) {
        s = next;
        changed = true;
      }
    }
  }
  return s;
}

const PLACEHOLDER = /<[a-zA-Z]+>|…|\.\.\.|%[svwqdT]/g;

/** A program text template ("missing key <k> for client certificate <c>. …") as a case-insensitive pattern. */
function templatePattern(template: string): { re: RegExp; weight: number } {
  const parts = template.split(PLACEHOLDER);
  const re = new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+?"), "i");
  return { re, weight: parts.join("").trim().length };
}

function entryWeight(e: MessageEntry, lower: string): number {
  let best = 0;
  for (const alt of e.match) if (alt.every((f) => lower.includes(f))) best = Math.max(best, alt.join("").length);
  return best;
}

function findRule(query: string, rules: readonly RuleMeta[]): RuleMeta | undefined {
  const q = query.trim();
  return rules.find((r) => r.id.toLowerCase() === q.toLowerCase() || r.name === q.toLowerCase());
}

/** A file name quoted in the message that singles out one rule among those the message maps to. */
const NAMED: Array<[RegExp, string]> = [
  [/(?:^|[\s/"])ca\.cert\b/i, "CD103"],
  [/(?:^|[\s/"])\._[^\s/"]+/, "CD110"],
  [/(?:^|[\s/"])ca\.key\b/i, "CD309"],
  [/(?:^|[\s/"])[^\s/"]*(?:old|bak|backup|20\d\d)[^\s/"]*\.(?:cert|key)\b/i, "CD113"],
];

const WORD = /[a-z0-9#]+/g;

const STOP = new Set([
  "the",
  "a",
  "an",
  "of",
  "for",
  "in",
  "to",
  "with",
  "and",
  "or",
  "is",
  "it",
  "this",
  "that",
  "from",
  "on",
  "by",
  "be",
  "not",
  "was",
]);

function words(s: string): Set<string> {
  return new Set((s.toLowerCase().match(WORD) ?? []).filter((w) => !STOP.has(w)));
}

function similarity(a: string, b: string): number {
  const A = words(a);
  const B = words(b);
  if (!A.size || !B.size) return 0;
  let common = 0;
  for (const w of A) if (B.has(w)) common++;
  return common / Math.min(A.size, B.size + 2);
}

export function explain(query: string, rules: readonly RuleMeta[]): Explanation {
  const rule = findRule(query, rules);
  if (rule) return { kind: "rule", query, meta: rule };
  const id = query.trim();
  if (RULE_ID.test(id.toUpperCase())) {
    return {
      kind: "no-rule",
      query,
      closest: closest(
        id.toUpperCase(),
        rules.map((r) => r.id),
      ),
    };
  }
  const full = unLogrus(query.replace(/\s+/g, " ").trim());
  const lower = full.toLowerCase();
  const inner = innerMessage(query);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const scores = new Map<string, RankedRule>();
  const add = (id: string, score: number, via: string) => {
    const meta = byId.get(id);
    if (!meta) return;
    const prev = scores.get(id);
    if (!prev || prev.score < score) scores.set(id, { meta, via, score });
  };
  const meanings: string[] = [];
  const checks: string[] = [];
  const matched = MESSAGES.map((e) => ({ e, w: entryWeight(e, lower) }))
    .filter((m) => m.w > 0)
    .sort((a, b) => b.w - a.w);
  for (const { e, w } of matched) {
    meanings.push(e.meaning);
    if (e.check) checks.push(e.check);
    e.rules.forEach((id, i) => add(id, w * 10 - i, e.meaning));
  }
  // The rules' own program texts (every wording each runtime prints): listed after the index's ranking.
  for (const r of rules) {
    for (const [runtime, text] of Object.entries(r.programText ?? {})) {
      for (const alt of text.split(" | ")) {
        const { re, weight } = templatePattern(alt);
        if (weight >= 12 && re.test(full)) add(r.id, Math.min(weight, 90), `${runtime} prints: ${alt}`);
      }
    }
  }
  // File names in the text point at one cause.
  for (const [re, id] of NAMED) if (re.test(full) && scores.has(id)) scores.get(id)!.score += 100_000;
  const ranked = [...scores.values()].sort((a, b) => b.score - a.score || a.meta.id.localeCompare(b.meta.id));
  if (ranked.length || meanings.length)
    return {
      kind: "text",
      query,
      inner,
      meanings: [...new Set(meanings)],
      checks: [...new Set(checks)],
      rules: ranked,
    };

  // Unknown: the closest known texts, so the answer is never empty.
  const candidates: Suggestion[] = [];
  for (const e of MESSAGES) for (const alt of e.match) candidates.push({ text: alt.join(" … "), rules: e.rules });
  for (const r of rules)
    for (const text of Object.values(r.programText ?? {}))
      for (const alt of text.split(" | ")) candidates.push({ text: alt, rules: [r.id] });
  const seen = new Set<string>();
  const suggestions = candidates
    .map((c) => ({ c, s: similarity(inner, c.text) }))
    .filter((x) => x.s >= 0.4)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.c)
    .filter((c) => (seen.has(c.text.toLowerCase()) ? false : (seen.add(c.text.toLowerCase()), true)))
    .slice(0, 3);
  return { kind: "unknown", query, inner, suggestions };
}
