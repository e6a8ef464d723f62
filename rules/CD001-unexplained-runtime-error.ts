import { defineRule } from "../src/engine/rule.js";
import type { RuntimeId } from "../src/runtimes/types.js";

/**
 * The safety net: when a runtime stops with an error that no other rule quoted, say so anyway. A runtime failure
 * must never pass without a finding. If this fires, a more specific rule is missing; please report it.
 */
export default defineRule({
  meta: {
    id: "CD001",
    name: "unexplained-runtime-error",
    severity: "error",
    description: "A runtime fails on this directory for a reason no more specific rule explains",
    runtimes: ["docker"],
  },
  check() {},
  after(ctx, findings, report) {
    for (const [runtime, outcome] of Object.entries(ctx.runtimes) as Array<[RuntimeId, NonNullable<(typeof ctx.runtimes)[RuntimeId]>]>) {
      if (outcome.status !== "error" || !outcome.error) continue;
      if (findings.some((f) => f.runtimeErrors[runtime] === outcome.error)) continue;
      report({
        ...(outcome.errorFile ? { file: outcome.errorFile } : {}),
        message: `${runtime} stops on this directory${outcome.errorFile ? ` at ${outcome.errorFile}` : ""} with the error quoted below.`,
        runtimeErrors: { [runtime]: outcome.error },
      });
    }
  },
});
