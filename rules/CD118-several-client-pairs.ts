import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD118",
    name: "several-client-pairs",
    severity: "warning",
    description: "More than one client pair: Go sends only the first that fits the registry's request, with no retry",
  },
  check(ctx, report) {
    const rt = checked(ctx).filter((r) => (ctx.runtimes[r]?.clientPairs.length ?? 0) > 1);
    if (!rt.length) return;
    const pairs = ctx.runtimes[rt[0]!]!.clientPairs.map(([c, k]) => (c === k ? c : `${c} + ${k}`));
    report({
      file: ctx.runtimes[rt[0]!]!.clientPairs[0]![0],
      runtimes: rt,
      headline: `Several client pairs (${pairs.length}): Go sends only the first that fits, with no retry`,
      why:
        `${say(rt, "loads", "load")} ${pairs.length} client pairs, in this order: ${pairs.join(", ")}. ` +
        `Go's TLS client offers the registry the first pair that fits its request (a certificate issued by a CA the registry names, ` +
        `with a usable key) and never retries with the next one if the registry rejects it (expired, wrong usage, ` +
        `unknown issuer with the same name). ` +
        `Docker's documentation says the pairs are tried in turn; that has not been true since Docker 1.4.`,
      fix: { text: "Keep one pair per directory." },
    });
  },
});
