import { loadedClientChains, trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certName, clip, fit, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { UNHANDLED_CRITICAL } from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD412",
    name: "unhandled-critical-extension",
    severity: "error",
    description:
      "A CA or client certificate with a critical extension Go does not understand: Go refuses it in any chain",
    programText: { docker: UNHANDLED_CRITICAL, containerd: UNHANDLED_CRITICAL },
  },
  check(ctx, report) {
    for (const t of trustedCertificates(ctx)) {
      const oids = t.cert.unhandledCriticalExtensions;
      if (!oids.length) continue;
      const errors = Object.fromEntries(t.runtimes.map((r) => [r, UNHANDLED_CRITICAL])) as Partial<
        Record<RuntimeId, string>
      >;
      report({
        file: t.entry.name,
        runtimes: t.runtimes,
        runtimeErrors: errors,
        messageId: "ca",
        headline: headline(
          fit(
            `Critical extension ${clip(oids.join(", "), 30)} that Go does not know: no chain through it verifies`,
            ` (${certName(t.block, 20)})`,
          ),
        ),
        why:
          `"${subjectOf(t.block)}" in ${t.entry.name} marks extension ${oids.join(", ")} critical, ` +
          `and Go does not know it: Go refuses any chain through this CA, ` +
          `and ${say(t.runtimes, "reports", "report")} ${UNHANDLED_CRITICAL}.`,
        fix: { text: "Reissue the CA without it, or with it non-critical." },
      });
    }
    for (const pair of loadedClientChains(ctx)) {
      const bad = [pair.leaf, ...pair.chain].find((c) => (c.parse.cert?.unhandledCriticalExtensions.length ?? 0) > 0);
      if (!bad?.parse.cert) continue;
      report({
        file: pair.certFile,
        runtimes: pair.runtimes,
        messageId: "client",
        headline: headline(
          `${bad === pair.leaf ? "Client certificate" : certName(bad, 30)} marks extension ` +
            `${clip(bad.parse.cert.unhandledCriticalExtensions.join(", "), 30)} critical; Go registries refuse it`,
        ),
        why:
          `"${subjectOf(bad)}" in ${pair.certFile} marks extension ` +
          `${bad.parse.cert.unhandledCriticalExtensions.join(", ")} critical, ` +
          `which Go does not know: a Go registry refuses it ("tls: failed to verify client certificate: ` +
          `${UNHANDLED_CRITICAL}"; the client sees remote error: tls: bad certificate).`,
        fix: { text: "Reissue it without that extension." },
      });
    }
  },
});
