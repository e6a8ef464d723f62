import { otherUsableAnchor } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { allowsUsage, INCOMPATIBLE_USAGE } from "../src/material/go-verify.js";
import { isCaBlock, subjectOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD413",
    name: "ca-excludes-server-auth",
    severity: "error",
    description: "A CA whose extended key usage leaves out serverAuth: Go refuses every server certificate under it",
    programText: { docker: INCOMPATIBLE_USAGE, containerd: INCOMPATIBLE_USAGE },
  },
  check(ctx, report) {
    const trusted = trustedCertificates(ctx);
    for (const t of trusted) {
      if (!isCaBlock(t.block) || allowsUsage(t.cert, "serverAuth")) continue;
      const usages = [...t.cert.extKeyUsage, ...t.cert.unknownExtKeyUsage].join(", ");
      const errors = Object.fromEntries(t.runtimes.map((r) => [r, INCOMPATIBLE_USAGE])) as Partial<
        Record<RuntimeId, string>
      >;
      report({
        file: t.entry.name,
        severity: otherUsableAnchor(trusted, t, ctx.now) ? "warning" : "error",
        runtimes: t.runtimes,
        runtimeErrors: errors,
        headline: headline(
          `CA limits its extended key usage to ${clip(usages, 30)}: Go refuses every server certificate under it`,
        ),
        why:
          `The CA "${subjectOf(t.block)}" in ${t.entry.name} limits its extended key usage to ${usages}. ` +
          `Go applies a CA's extended key usage to everything under it, ` +
          `so no server certificate it issued passes: ${say(t.runtimes, "reports", "report")} ${INCOMPATIBLE_USAGE}.`,
        fix: { text: "Use a CA without extendedKeyUsage, or one that includes serverAuth." },
      });
    }
  },
});
