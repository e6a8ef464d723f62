import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { headline, tail } from "../src/facts/headline.js";
import { names, say } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

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
    // Each runtime's own list: containerd 1.x (go-toml v1) drops `Ca` and `Skip_Verify`, which 2.x takes.
    const keys = new Map<string, { suggestion: string | null; dropping: RuntimeId[] }>();
    for (const r of ctrd) {
      for (const { key, suggestion } of ctx.runtimes[r]!.hostsToml!.unknownKeys) {
        const k = keys.get(key) ?? { suggestion, dropping: [] };
        k.dropping.push(r);
        keys.set(key, k);
      }
    }
    for (const [key, { suggestion, dropping }] of keys) {
      const taking = ctrd.filter((r) => !dropping.includes(r));
      report({
        file: "hosts.toml",
        runtimes: dropping,
        messageId: taking.length ? "unknown-to-some" : "unknown-key",
        headline: headline(
          `Unknown key ${tail(key, 60)}${taking.length ? ` for ${names(dropping)}` : ""}, dropped without a word`,
        ),
        why:
          `${key} is not a hosts.toml key${taking.length ? ` for ${names(dropping)}` : ""}: ` +
          `${say(dropping, "drops", "drop")} it without a word` +
          `${taking.length ? ` (${say(taking, "reads", "read")} it: keys match case-insensitively from containerd 2.0)` : ""}.`,
        fix: suggestion
          ? { text: `Did you mean ${suggestion}?` }
          : { text: "Remove it, or correct it to a key hosts.toml has." },
      });
    }
  },
});
