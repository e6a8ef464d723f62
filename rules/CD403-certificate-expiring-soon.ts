import { certName, headline } from "../src/facts/headline.js";
import { capitalise } from "../src/facts/wording.js";
import { defineRule } from "../src/engine/rule.js";
import { datedCertificates, day } from "../src/facts/validity.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export default defineRule({
  meta: {
    id: "CD403",
    name: "certificate-expiring-soon",
    severity: "warning",
    description: "A CA or client certificate that expires within --expiry-warning-days (default 30) of --now",
    options: {
      days: {
        type: "integer",
        minimum: 0,
        description: "how many days ahead to warn (default: --expiry-warning-days, 30)",
      },
    },
  },
  check(ctx, report) {
    const days = (ctx.ruleOptions("CD403").days as number | undefined) ?? ctx.expiryWarningDays;
    const horizon = ctx.now.getTime() + days * DAY_MS;
    for (const d of datedCertificates(ctx)) {
      if (d.goError || d.notAfter.getTime() > horizon) continue;
      const days = Math.max(0, Math.floor((d.notAfter.getTime() - ctx.now.getTime()) / DAY_MS));
      const then =
        d.role === "ca"
          ? "handshakes with registries whose certificates chain to it fail with x509: " +
            "certificate has expired or is not yet valid"
          : "the registry refuses it (remote error: tls: bad certificate)";
      report({
        file: d.file,
        runtimes: d.runtimes,
        messageId: d.role === "ca" ? "ca-expiring" : "client-expiring",
        headline: headline(
          `${d.label} expires on ${day(d.notAfter)}, in ${days} day${days === 1 ? "" : "s"} (${certName(d.block)})`,
        ),
        why:
          `${d.where === d.file && d.role === "ca" ? `The CA ${d.file}` : capitalise(d.where)} ("${d.subject}") expires on ` +
          `${day(d.notAfter)}, ` +
          `in ${days} day${days === 1 ? "" : "s"}. After that ${then}.`,
        fix: { text: "Renew it now." },
      });
    }
  },
});
