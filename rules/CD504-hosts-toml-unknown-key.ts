import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD504",
    name: "hosts-toml-unknown-key",
    severity: "error",
    description:
      "A hosts.toml key containerd does not know (skip-verify, capability, ca_file, " +
      "[hosts.…]): dropped without a word",
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    const ctrd = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!ctrd.length) return;
    const state = ctx.runtimes[ctrd[0]!]!.hostsToml!;
    for (const { key, suggestion } of state.unknownKeys) {
      report({
        file: "hosts.toml",
        message:
          `${key} is not a hosts.toml key: ` +
          `${say(ctrd, "drops", "drop")} it without a word.` +
          `${suggestion ? ` Did you mean ${suggestion}?` : ""}`,
      });
    }
  },
});
