/**
 * PEM framing Go's encoding/pem cannot see (a byte-order mark, an indented BEGIN line, a wrong END line, bad
 * base64, no END line, text on a boundary line): one rule per defect (CD207–CD212), sharing this judgement of what
 * the hidden block costs each runtime. These rules own the finding: CD201, CD202 and CD203 leave a file alone
 * when a framing defect is why it yields nothing.
 */
import { describeHidden } from "../material/explain.js";
import type { HiddenBlock } from "../material/pem.js";
import type { RuntimeId } from "../runtimes/types.js";
import type { Entry } from "../scan/types.js";
import type { FindingInput, FixAdvice, HostContext } from "../engine/rule.js";
import { checked } from "./verdicts.js";
import { capitalise, say, verb } from "./wording.js";

export type FramingReason = HiddenBlock["reason"];

/** The client-certificate verdicts whose pair failed on this key file (the verdict lives on the .cert). */
function keyFailures(ctx: HostContext, keyName: string): Partial<Record<RuntimeId, string>> {
  const out: Partial<Record<RuntimeId, string>> = {};
  for (const r of checked(ctx)) {
    const o = ctx.runtimes[r];
    if (!o) continue;
    for (const v of o.verdicts.values()) {
      if (
        v.role === "client-certificate" &&
        v.partner === keyName &&
        v.file !== keyName &&
        v.cause === "key-input" &&
        v.error
      )
        out[r] = v.error;
    }
  }
  return out;
}

interface Impact {
  /** Runtimes that fail because of the file, with their text. */
  failing: Partial<Record<RuntimeId, string>>;
  /** Runtimes that take nothing from the file, silently. */
  silentNothing: RuntimeId[];
  /** Runtimes that use the file's other blocks and skip the hidden one silently. */
  partial: RuntimeId[];
}

function impactOf(ctx: HostContext, entry: Entry): Impact {
  const impact: Impact = { failing: {}, silentNothing: [], partial: [] };
  Object.assign(impact.failing, keyFailures(ctx, entry.name));
  for (const r of checked(ctx)) {
    if (impact.failing[r]) continue;
    const v = ctx.verdict(r, entry.name);
    if (!v) continue;
    if (v.role === "ca") {
      if ((v.certificates ?? 0) > 0) impact.partial.push(r);
      else if (v.error && v.cause === "no-certificate") impact.failing[r] = v.error;
      else if (!v.error) impact.silentNothing.push(r);
    } else if (v.role === "client-certificate") {
      if (v.error && v.cause === "certificate-input") impact.failing[r] = v.error;
      else if (!v.error) impact.partial.push(r);
    } else if (v.role === "client-key" && !v.error) {
      impact.partial.push(r);
    }
  }
  return impact;
}

/** "the CERTIFICATE block on line 1", "the CERTIFICATE blocks on lines 1, 21", "2 blocks on lines 1, 21". */
export function hiddenBlocks(hidden: readonly HiddenBlock[]): string {
  const lines = hidden.map((h) => h.line).join(", ");
  if (hidden.length === 1) return `the ${hidden[0]!.type} block on line ${lines}`;
  const types = new Set(hidden.map((h) => h.type));
  return types.size === 1
    ? `the ${[...types][0]!} blocks on lines ${lines}`
    : `${hidden.length} blocks on lines ${lines}`;
}

/** How a framing rule words its finding: the headline from the hidden blocks, and the fix for a file. */
export interface FramingWords {
  /** The headline, given hiddenBlocks() of the file's hidden blocks ("the CERTIFICATE block on line 1"). */
  headline: (blocks: string) => string;
  fix: (file: string) => FixAdvice;
  messageId?: string;
}

/** Findings for one framing defect: one per file that has it, in a file some runtime reads. */
export function framingFindings(ctx: HostContext, reason: FramingReason, words: FramingWords): FindingInput[] {
  const out: FindingInput[] = [];
  for (const entry of ctx.host.entries) {
    const m = ctx.material(entry);
    const hidden = m?.hidden.filter((h) => h.reason === reason) ?? [];
    if (!hidden.length) continue;
    const impact = impactOf(ctx, entry);
    const failing = Object.keys(impact.failing) as RuntimeId[];
    const affected = [...failing, ...impact.silentNothing, ...impact.partial];
    if (!affected.length) continue;
    const what = hidden.map((h) => describeHidden(h)).join("; ");
    const effects: string[] = [];
    if (failing.length) effects.push(`${say(failing, "fails", "fail")} every pull, push and login for this registry`);
    if (impact.silentNothing.length) {
      effects.push(
        `${say(impact.silentNothing, "takes", "take")} no CA certificate from it and ` +
          `${verb(impact.silentNothing, "says", "say")} nothing, ` +
          `so the registry's certificate is checked against the system CAs only (x509: ` +
          `certificate signed by unknown authority)`,
      );
    }
    if (impact.partial.length)
      effects.push(
        `${say(impact.partial, "uses", "use")} the rest of the file and ` +
          `${verb(impact.partial, "skips", "skip")} that block without a word`,
      );
    const severe = failing.length > 0 || impact.silentNothing.length > 0;
    out.push({
      file: entry.name,
      severity: severe ? "error" : "warning",
      runtimes: affected,
      runtimeErrors: impact.failing,
      ...(words.messageId ? { messageId: words.messageId } : {}),
      headline: words.headline(hiddenBlocks(hidden)),
      why: `${entry.name}: ${what}. ${capitalise(effects.join("; "))}.`,
      fix: words.fix(entry.name),
    });
  }
  return out;
}
