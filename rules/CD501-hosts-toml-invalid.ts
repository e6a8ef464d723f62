import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import { goQuote } from "../src/material/go-format.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD501",
    name: "hosts-toml-invalid",
    severity: "error",
    description:
      "A hosts.toml containerd cannot decode: it is ignored whole, and the Docker-style files are used instead",
    runtimes: ["containerd", "docker-containerd"],
    programText: { containerd: 'level=error msg="failed to decode <dir>/hosts.toml" error="unknown capability <c>"' },
  },
  check(ctx, report) {
    const affected = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "invalid");
    if (!affected.length) return;
    const errors: Partial<Record<RuntimeId, string>> = {};
    for (const r of affected) {
      const log = ctx.runtimes[r]!.logged.find((l) => l.kind === "hosts-toml-decode");
      if (log) errors[r] = `level=error msg=${goQuote(log.message)} error=${goQuote(log.error ?? "")}`;
    }
    const state = ctx.runtimes[affected[0]!]!.hostsToml!;
    const where = state.line ? ` (line ${state.line})` : "";
    // go-toml's words for TOML syntax and wrongly typed values; containerd's own for its validation of the hosts.
    const exact =
      state.stage === "validation"
        ? `containerd's own error: ${state.error}`
        : state.verbatim
          ? `a TOML ${state.stage === "type" ? "type" : "syntax"} error${where}, in go-toml's own words: ${state.error}`
          : `a TOML ${state.stage === "type" ? "type" : "syntax"} error${where}: ${state.error} ` +
            `(certsd-lint's wording: go-toml's exact text for this mistake is not known to it)`;
    // containerd 1.x (go-toml v1) wants a [host."…"] table; 2.x accepts a file without one (containerd#10027).
    const noHostTable = state.error === "invalid `host` tree";
    const hint = noHostTable
      ? ' containerd 1.x needs at least one [host."https://…"] table; from 2.0 a file without one is valid.'
      : "";
    const messageId = noHostTable
      ? "no-host-table"
      : state.stage === "validation"
        ? "validation"
        : `toml-${state.stage}`;
    report({
      file: "hosts.toml",
      messageId,
      // go-toml's exact text for this mistake is not known: the logged error is certsd-lint's wording, and says so.
      ...(state.stage !== "validation" && !state.verbatim ? { reworded: affected } : {}),
      headline: noHostTable
        ? 'No [host."…"] table, which containerd 1.x requires: the whole file is ignored, silently'
        : state.stage === "validation"
          ? "A value containerd refuses: the whole file is ignored, silently"
          : `TOML ${state.stage === "type" ? "type" : "syntax"} error${where}: the whole file is ignored, silently`,
      why:
        `${say(affected, "cannot decode", "cannot decode")} hosts.toml, ${exact}. ` +
        `${affected.length === 1 ? "It logs" : "They log"} "failed to decode" and ` +
        `${verb(affected, "ignores", "ignore")} the whole file: ` +
        `its servers, mirrors, ca and client settings are bypassed and the Docker-style files beside it are used instead, ` +
        `silently.${hint}`,
      fix: noHostTable
        ? { text: 'Add a [host."https://…"] table for each mirror, or upgrade to containerd 2.0.' }
        : state.stage === "validation"
          ? { text: "Correct the value the error names." }
          : { text: state.line ? `Correct line ${state.line} of hosts.toml.` : "Correct the TOML of hosts.toml." },
      runtimeErrors: errors,
    });
  },
});
