/** English for findings about runtimes: their names, and verbs that agree with them in number. */
import { RUNTIMES } from "../runtimes/registry.js";
import type { RuntimeId } from "../runtimes/types.js";

/** "Docker and podman", "Docker, containerd and podman". */
export function names(ids: readonly RuntimeId[]): string {
  const n = ids.map((i) => RUNTIMES[i].name);
  return n.length <= 1 ? (n[0] ?? "") : `${n.slice(0, -1).join(", ")} and ${n[n.length - 1]}`;
}

/**
 * The runtimes as the subject of a verb, agreeing in number: say(["docker"], "fails", "fail") → "Docker fails",
 * say(["docker", "podman"], "fails", "fail") → "Docker and podman fail". Program names keep their case.
 */
export function say(ids: readonly RuntimeId[], singular: string, plural: string): string {
  return `${names(ids)} ${ids.length === 1 ? singular : plural}`;
}

/** A further verb agreeing with the same runtimes: verb(["docker"], "fails", "fail") → "fails". */
export function verb(ids: readonly RuntimeId[], singular: string, plural: string): string {
  return ids.length === 1 ? singular : plural;
}

/** The first letter upper-cased: for sentences that start with a clause built elsewhere. */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A file name as sh reads it: bare when it is safe, otherwise single-quoted (`'it'\''s'`). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9._:@%+=,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
