import { defineRule } from "../src/engine/rule.js";
import { certName, headline } from "../src/facts/headline.js";
import { capitalise, say } from "../src/facts/wording.js";
import { datedCertificates, day } from "../src/facts/validity.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD402",
    name: "certificate-not-yet-valid",
    severity: "error",
    description:
      "A CA or client certificate whose notBefore is still in the future (judged at --now): " +
      "a clock or an issuing mistake",
    programText: {
      docker:
        "x509: certificate has expired or is not yet valid: current time <now> is before <notBefore> | " +
        "remote error: tls: bad certificate",
    },
  },
  check(ctx, report) {
    for (const d of datedCertificates(ctx)) {
      if (!d.goError || ctx.now.getTime() >= d.notBefore.getTime()) continue;
      const from = ` It becomes valid on ${day(d.notBefore)}.`;
      const fix = { text: "Check the clock of the machine that issued it (and of this one), or reissue it." };
      const title = headline(`${d.label} not valid until ${day(d.notBefore)} (${certName(d.block)})`);
      if (d.role === "ca") {
        const errors = Object.fromEntries(d.runtimes.map((r) => [r, d.goError!])) as Partial<Record<RuntimeId, string>>;
        report({
          file: d.file,
          runtimes: d.runtimes,
          runtimeErrors: errors,
          messageId: "ca-not-yet-valid",
          headline: title,
          why:
            `The CA ${d.where} ("${d.subject}") is not valid yet. ` +
            `Every handshake with a registry whose certificate chains to it fails: ` +
            `${say(d.runtimes, "reports", "report")} ${d.goError}.${from}`,
          fix,
        });
      } else {
        report({
          file: d.file,
          runtimes: d.runtimes,
          messageId: "client-not-yet-valid",
          headline: title,
          why:
            `${capitalise(d.where)} ("${d.subject}") is not valid yet; ` +
            `a registry that checks client certificates refuses it (a Go registry logs "tls: ` +
            `failed to verify client certificate: ${d.goError}", ` +
            `the client sees remote error: tls: bad certificate).${from}`,
          fix,
        });
      }
    }
  },
});
