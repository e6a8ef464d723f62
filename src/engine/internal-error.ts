/**
 * certsd-lint's own failures on a host directory. Decoding its files or modelling a runtime that throws is CD000;
 * a rule that throws gets a fatal finding under its own id. Either way the run goes on with the other rules and
 * host directories, and exits 2.
 */
import { RUNTIME_IDS } from "../runtimes/registry.js";
import type { HostDir } from "../scan/types.js";
import { docsUrl, type Finding, joinedMessage, type RuleMeta } from "./rule.js";

export const INTERNAL_ERROR: RuleMeta = {
  id: "CD000",
  name: "internal-error",
  severity: "error",
  description:
    "certsd-lint itself failed on a host directory (decoding or a runtime model threw): " +
    "its verdict there is unknown",
  runtimes: RUNTIME_IDS,
};

/** What a thrown value says, in one line, without a stack. */
function thrownText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split("\n")[0]!.slice(0, 500);
}

/** The finding for an exception: reported, never fatal to the other rules and hosts. */
export function fatalFinding(meta: RuleMeta, host: Pick<HostDir, "root" | "name">, what: string, e: unknown): Finding {
  const parts = {
    headline: `Internal error: ${what} failed on this host directory (${thrownText(e)})`,
    why: "So its verdict here is unknown; the other rules and host directories were checked.",
    fix: { text: "Please report it, with the tree's layout (never its keys)." },
  };
  return {
    ruleId: meta.id,
    name: meta.name,
    severity: "error",
    root: host.root,
    host: host.name,
    file: null,
    ...parts,
    message: joinedMessage(parts),
    runtimeErrors: {},
    runtimes: [],
    docsUrl: docsUrl(meta),
    fingerprint: `fatal:${meta.id}:${host.name}`,
    fatal: true,
  };
}
