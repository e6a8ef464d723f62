import { validTwin } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certName, clip, fit, headline } from "../src/facts/headline.js";
import { capitalise, say } from "../src/facts/wording.js";
import { datedCertificates, day } from "../src/facts/validity.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD401",
    name: "certificate-expired",
    severity: "error",
    description: "A CA or client certificate past its notAfter date (judged at --now)",
    programText: {
      docker:
        "x509: certificate has expired or is not yet valid: current time <now> is after <notAfter> | " +
        "remote error: tls: bad certificate",
      containerd: "x509: certificate has expired or is not yet valid: current time <now> is after <notAfter>",
    },
  },
  check(ctx, report) {
    const trusted = trustedCertificates(ctx);
    for (const d of datedCertificates(ctx)) {
      if (!d.goError || ctx.now.getTime() <= d.notAfter.getTime()) continue;
      if (d.role === "ca") {
        const twin = trusted.find((t) => t.block === d.block);
        const renewed = twin && validTwin(trusted, twin, ctx.now);
        if (renewed) {
          report({
            file: d.file,
            severity: "info",
            runtimes: d.runtimes,
            messageId: "renewed-copy-present",
            headline: headline(
              fit(
                `${d.label} expired on ${day(d.notAfter)}; Go uses the renewed copy in ${clip(renewed.entry.name)}`,
                ` (${certName(d.block, 30)})`,
              ),
            ),
            why:
              `${capitalise(d.where)} ("${d.subject}") expired on ${day(d.notAfter)}, ` +
              `but a renewed copy with the same name and key is in ${renewed.entry.name}, and Go uses that one.`,
            fix: { text: "Delete the expired copy." },
          });
          continue;
        }
        const errors = Object.fromEntries(d.runtimes.map((r) => [r, d.goError!])) as Partial<Record<RuntimeId, string>>;
        report({
          file: d.file,
          runtimes: d.runtimes,
          runtimeErrors: errors,
          messageId: "ca-expired",
          headline: headline(`${d.label} expired on ${day(d.notAfter)} (${certName(d.block)})`),
          why:
            `The CA ${d.where} ("${d.subject}") expired on ${day(d.notAfter)}. ` +
            `Loading it raises nothing, but every handshake with a registry whose certificate chains to it fails: ` +
            `${say(d.runtimes, "reports", "report")} ${d.goError}.`,
          fix: { text: "Replace it with the CA's renewed certificate." },
        });
      } else {
        report({
          file: d.file,
          runtimes: d.runtimes,
          messageId: "client-expired",
          headline: headline(`${d.label} expired on ${day(d.notAfter)} (${certName(d.block)})`),
          why:
            `${capitalise(d.where)} ("${d.subject}") expired on ${day(d.notAfter)}. ` +
            `${say(d.runtimes, "still sends", "still send")} it (Go does not check its own client certificate's dates), ` +
            `and a registry that checks client certificates refuses it: a Go registry logs "tls: ` +
            `failed to verify client certificate: ${d.goError}" and the client sees remote error: tls: bad certificate.`,
          fix: { text: "Renew the client certificate." },
        });
      }
    }
  },
});
