/**
 * `certsd-lint explain`: a rule (by id or name), or an error text a runtime printed, pasted as is (any historic
 * wording, with or without `Error response from daemon:`, a logrus line, a path), mapped to the rules that can cause
 * it, most likely first. Unknown text gets the closest known messages and what to do next, never silence.
 */
import type { RuleMeta } from "../engine/rule.js";
import { type MessageEntry, MESSAGES } from "./messages.js";
import { CHECKS, priorPoints } from "./ranking.js";
import { unwrap } from "./unwrap.js";
import { RULE_ID } from "../engine/rule.js";
import { closest } from "../suggest.js";

export interface RankedRule {
  meta: RuleMeta;
  /** Why it is listed: the message entry's meaning, or the program text it matched. */
  via: string;
  /** 1 = most likely. */
  rank: number;
  /** See ranking.ts: 100 × specificity + field prior + index order (+ 1000 when the text names its file). */
  score: number;
  /** What to check to tell it from the other rules listed. */
  check: string;
}

export interface Suggestion {
  text: string;
  rules: string[];
  /** Sørensen–Dice coefficient of the two texts' word sets (0–1). */
  similarity?: number;
}

/** The names the wrappers carried: where the text came from and which registry it is about. */
export interface Origin {
  source: string | null;
  reference: string | null;
  registry: string | null;
}

export type Explanation =
  | { kind: "rule"; query: string; meta: RuleMeta }
  | ({
      kind: "text";
      query: string;
      inner: string;
      meanings: string[];
      checks: string[];
      rules: RankedRule[];
    } & Origin)
  | ({ kind: "unknown"; query: string; inner: string; suggestions: Suggestion[] } & Origin)
  /** A rule id that names no rule: the nearest ids instead of a search of error texts. */
  | { kind: "no-rule"; query: string; closest: string | null };

/** The message without the runtimes' wrapping, for display: the part that carries the diagnosis. */
export function innerMessage(text: string): string {
  return unwrap(text).inner;
}

const PLACEHOLDER = /<[a-zA-Z]+>|…|\.\.\.|%[svwqdT]/g;

/** A program text template ("missing key <k> for client certificate <c>. …") as a case-insensitive pattern. */
function templatePattern(template: string): { re: RegExp; weight: number } {
  const parts = template.split(PLACEHOLDER);
  const re = new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+?"), "i");
  return { re, weight: parts.join("").trim().length };
}

/** The longest start of `fragment` (at least 15 characters) that `text` ends with: a paste cut off mid-message. */
function cutOverlap(text: string, fragment: string): number {
  for (let n = Math.min(fragment.length - 1, text.length); n >= 15; n--)
    if (text.endsWith(fragment.slice(0, n))) return n;
  return 0;
}

function entryWeight(e: MessageEntry, lower: string, cut = false): number {
  let best = 0;
  for (const alt of e.match) {
    if (alt.every((f) => lower.includes(f))) best = Math.max(best, alt.join("").length);
    // Cut off: every fragment but the last is there, and the text ends with the last one's beginning.
    else if (cut && alt.slice(0, -1).every((f) => lower.includes(f)))
      best = Math.max(best, alt.slice(0, -1).join("").length + cutOverlap(lower, alt[alt.length - 1]!));
  }
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
  return new Set((s.replace(PLACEHOLDER, " ").toLowerCase().match(WORD) ?? []).filter((w) => !STOP.has(w)));
}

/**
 * Sørensen–Dice coefficient of the two texts' word sets: 2|A∩B| / (|A|+|B|). Word overlap rather than edit distance:
 * a pasted text carries names of any length (paths, hosts, images) where the known text has a placeholder, and
 * wordings differ by an inserted or moved clause; character edits would charge every character of a long path, so a
 * short unrelated text would beat the right one, while shared words are what the two texts have in common.
 */
export function similarity(a: string, b: string): number {
  const A = words(a);
  const B = words(b);
  if (!A.size || !B.size) return 0;
  let common = 0;
  for (const w of A) if (B.has(w)) common++;
  return (2 * common) / (A.size + B.size);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

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
  const u = unwrap(query);
  const origin: Origin = { source: u.source, reference: u.reference, registry: u.registry };
  const inner = u.inner;
  const byId = new Map(rules.map((r) => [r.id, r]));
  const scores = new Map<string, { meta: RuleMeta; via: string; score: number }>();
  const add = (id: string, score: number, via: string) => {
    const meta = byId.get(id);
    if (!meta) return;
    const prev = scores.get(id);
    if (!prev || prev.score < score) scores.set(id, { meta, via, score });
  };
  // Match the Go error text inside the wrappers; the whole line only when the inner text alone matches nothing
  // (a wrapper-level text such as podman's "Skipping scan of … due to permission error").
  const match = (text: string) => {
    const lower = text.toLowerCase();
    const entries = MESSAGES.map((e) => ({ e, w: entryWeight(e, lower, u.cut) }))
      .filter((m) => m.w > 0)
      .sort((x, y) => y.w - x.w);
    const texts: Array<{ id: string; weight: number; via: string }> = [];
    for (const r of rules)
      for (const [runtime, t] of Object.entries(r.programText ?? {}))
        for (const alt of t.split(" | ")) {
          const { re, weight } = templatePattern(alt);
          if (weight >= 12 && re.test(text)) texts.push({ id: r.id, weight, via: `${runtime} prints: ${alt}` });
        }
    return { entries, texts, length: Math.max(1, text.trim().length) };
  };
  let m = match(inner);
  if (!m.entries.length && !m.texts.length && u.full !== inner) m = match(u.full);
  const meanings: string[] = [];
  const checks: string[] = [];
  for (const { e, w } of m.entries) {
    meanings.push(e.meaning);
    if (e.check) checks.push(e.check);
    const spec = Math.min(1, w / m.length);
    e.rules.forEach((id, i) => add(id, 100 * spec + priorPoints(id) + Math.max(0, 3 - i), e.meaning));
  }
  // The rules' own program texts (every wording each runtime prints): the more of the text one accounts for, the
  // more specific it is to this input.
  for (const t of m.texts) add(t.id, 100 * Math.min(1, t.weight / m.length) + priorPoints(t.id), t.via);
  // File names in the text point at one cause.
  for (const [re, nid] of NAMED) if (re.test(u.full) && scores.has(nid)) scores.get(nid)!.score += 1000;
  const ranked: RankedRule[] = [...scores.values()]
    .sort((x, y) => y.score - x.score || x.meta.id.localeCompare(y.meta.id))
    .map((r, i) => ({
      ...r,
      rank: i + 1,
      score: round2(r.score),
      check: CHECKS[r.meta.id] ?? `what it checks: ${r.meta.description}`,
    }));
  if (ranked.length || meanings.length)
    return {
      kind: "text",
      query,
      inner,
      meanings: [...new Set(meanings)],
      checks: [...new Set(checks)],
      rules: ranked,
      ...origin,
    };

  // Unknown: the closest known texts (the index's and the rules' declared program texts), so the answer is never empty.
  const candidates: Suggestion[] = [];
  for (const e of MESSAGES)
    if (e.rules.length) for (const alt of e.match) candidates.push({ text: alt.join(" … "), rules: e.rules });
  for (const r of rules)
    for (const text of Object.values(r.programText ?? {}))
      for (const alt of text.split(" | ")) candidates.push({ text: alt, rules: [r.id] });
  const seen = new Set<string>();
  const suggestions = candidates
    .map((c) => ({ ...c, similarity: round2(similarity(inner, c.text)) }))
    .filter((c) => c.similarity > 0)
    .sort((x, y) => y.similarity - x.similarity || x.text.length - y.text.length)
    .filter((c) => (seen.has(c.text.toLowerCase()) ? false : (seen.add(c.text.toLowerCase()), true)))
    .slice(0, 3)
    .map((c) => ({ ...c, rules: c.rules.slice(0, 3) }));
  return { kind: "unknown", query, inner, suggestions, ...origin };
}
