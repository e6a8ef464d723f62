import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

/**
 * The safety net: when runtimes stop with errors that no other rule quoted, say so anyway, in one finding that
 * quotes each. A runtime failure must never pass without a finding. If this fires, a more specific rule is missing.
 */
export default defineRule({
  meta: {
    id: "CD001",
    name: "unexplained-runtime-error",
    severity: "error",
    description: "A runtime fails on this directory for a reason no more specific rule explains",
  },
  check() {},
  after(ctx, findings, report) {
    const errors: Partial<Record<RuntimeId, string>> = {};
    const files = new Set<string | null>();
    for (const r of checked(ctx)) {
      const outcome = ctx.runtimes[r]!;
      if (outcome.status !== "error" || !outcome.error) continue;
      if (findings.some((f) => f.runtimeErrors[r] === outcome.error)) continue;
      errors[r] = outcome.error;
      files.add(outcome.errorFile);
    }
    const failing = Object.keys(errors) as RuntimeId[];
    if (!failing.length) return;
    const file = files.size === 1 ? [...files][0] : null;
    report({
      ...(file ? { file } : {}),
      headline: `${failing.length === 1 ? "A runtime error" : "Runtime errors"} that no more specific rule explains`,
      why:
        `${say(failing, "stops", "stop")} on this directory${file ? ` at ${file}` : ""} with the ` +
        `${failing.length === 1 ? "error" : "errors"} quoted below; ` +
        `a more specific rule is missing.`,
      runtimeErrors: errors,
    });
  },
});
