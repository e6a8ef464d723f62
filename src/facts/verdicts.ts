/** What rules ask of the runtime models: which runtimes are checked, what each says about an entry. */
import type { HostContext } from "../engine/rule.js";
import { family } from "../runtimes/registry.js";
import type { EntryVerdict, RuntimeId } from "../runtimes/types.js";

/** The checked runtimes the rule judges, optionally only those among `among` (a family). */
export function checked(ctx: HostContext, among?: readonly RuntimeId[]): RuntimeId[] {
  return ctx.checked.filter((r) => !among || among.includes(r));
}

/**
 * Per runtime, the error its verdict on the first of `files` that has one carries (optionally only for some causes):
 * what each program prints about these entries.
 */
export function errorsOn(
  ctx: HostContext,
  files: readonly string[],
  causes?: ReadonlyArray<EntryVerdict["cause"]>,
  where: (v: EntryVerdict, r: RuntimeId) => boolean = () => true,
): Partial<Record<RuntimeId, string>> {
  const out: Partial<Record<RuntimeId, string>> = {};
  for (const r of ctx.checked) {
    for (const f of files) {
      const v = ctx.verdict(r, f);
      if (v?.error && (!causes || causes.includes(v.cause)) && where(v, r)) {
        out[r] = v.error;
        break;
      }
    }
  }
  return out;
}

/** The runtimes (among those checked) whose verdict on `file` satisfies `pred`. */
export function runtimesWhere(
  ctx: HostContext,
  file: string,
  pred: (v: EntryVerdict | undefined, r: RuntimeId) => boolean,
  among?: readonly RuntimeId[],
): RuntimeId[] {
  return checked(ctx, among).filter((r) => pred(ctx.verdict(r, file), r));
}

/** A client "pair" that is one file holding certificate and key (containerd: a .cert with no .key, or hosts.toml's `client = "file"`). */
export function isCombined(v: EntryVerdict): boolean {
  return v.partner === v.file;
}

/** Docker's classic loader and containers/image: strict pairing, `.crt`/`.cert`/`.key` only. */
export const CLASSIC = family("classic");
/** containerd's hostconfig, in containerd and in Docker's containerd store: hosts.toml, lenient pairing. */
export const CONTAINERD_FAMILY = family("containerd");
