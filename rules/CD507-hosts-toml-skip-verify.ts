import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD507",
    name: "hosts-toml-skip-verify",
    severity: "warning",
    description:
      "skip_verify = true in hosts.toml: " +
      "the registry's certificate is not checked at all (any ca for that host is moot)",
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    const ctrd = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!ctrd.length) return;
    const endpoints = ctx.runtimes[ctrd[0]!]!.hostsToml!.endpoints;
    for (const e of endpoints) {
      if (e.skipVerify !== true) continue;
      const which = e === endpoints.at(-1) ? `the server${e.server ? ` ${e.server}` : ""}` : `[host."${e.server}"]`;
      const moot = e.ca.length ? ` The ca set for it (${e.ca.join(", ")}) is then never used.` : "";
      report({
        file: "hosts.toml",
        runtimes: ctrd,
        headline: headline(`Certificate checks off (skip_verify = true) for ${clip(which, 50)}`),
        why:
          `skip_verify = true for ${which}: ${say(ctrd, "accepts", "accept")} any certificate from it, ` +
          `so anyone on the path can serve images in its name.${moot}`,
        fix: { text: 'Trust its CA with ca = "..." and remove skip_verify.' },
      });
    }
  },
});
