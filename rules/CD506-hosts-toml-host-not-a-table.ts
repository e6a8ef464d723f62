import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say, verb } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD506",
    name: "hosts-toml-host-not-a-table",
    severity: "error",
    description:
      'A host written with dotted keys or an inline table instead of a [host."…"] table header: ' +
      "containerd 2.x never uses it",
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    const ctrd = checked(ctx).filter((r) => (ctx.runtimes[r]?.hostsToml?.unusedHosts.length ?? 0) > 0);
    if (!ctrd.length) return;
    for (const host of ctx.runtimes[ctrd[0]!]!.hostsToml!.unusedHosts) {
      report({
        file: "hosts.toml",
        runtimes: ctrd,
        headline: headline(`Mirror ${clip(host, 50)} has no [host."…"] table header, so it is never tried`),
        why:
          `host."${host}" is defined without a [host."${host}"] table header (with dotted keys or an inline table). ` +
          `${say(ctrd, "decodes", "decode")} it but ` +
          `${verb(ctrd, "takes", "take")} the list of hosts from table headers only, ` +
          `so this mirror is never tried and its settings never apply.`,
        fix: { text: `Write it as a [host."${host}"] table.` },
      });
    }
  },
});
