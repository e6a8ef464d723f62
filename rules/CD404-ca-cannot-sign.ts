import { directoryHost, looksPinned, otherUsableAnchor } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certName, fit, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { cannotSign, unknownAuthority } from "../src/material/go-verify.js";
import { canAnchorServer, subjectOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD404",
    name: "ca-cannot-sign",
    severity: "error",
    description:
      "A certificate in a CA file that may not sign others (no basicConstraints CA:TRUE, " +
      "or keyUsage without keyCertSign)",
    programText: {
      docker:
        'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: ' +
        'parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "<name>")',
    },
  },
  check(ctx, report) {
    const trusted = trustedCertificates(ctx);
    const host = directoryHost(ctx.host.name);
    for (const t of trusted) {
      const why = cannotSign(t.cert);
      // A pinned server certificate is CD405/CD406's; a client certificate saved as .crt (clientAuth only) is CD104's.
      if (!why || looksPinned(t, host) || !canAnchorServer(t.block)) continue;
      const text = unknownAuthority(why, t.cert);
      const [messageId, flags, lack] = !t.cert.basicConstraintsValid
        ? ["no-basic-constraints", "it has no basicConstraints extension", "no basicConstraints"]
        : !t.cert.isCA
          ? ["not-ca", "its basicConstraints say CA:FALSE", "basicConstraints CA:FALSE"]
          : ["no-key-cert-sign", "its keyUsage does not include keyCertSign", "a keyUsage without keyCertSign"];
      const other = otherUsableAnchor(trusted, t, ctx.now);
      const errors = Object.fromEntries(t.runtimes.map((r) => [r, text])) as Partial<Record<RuntimeId, string>>;
      report({
        file: t.entry.name,
        severity: other ? "warning" : "error",
        runtimes: t.runtimes,
        runtimeErrors: errors,
        messageId,
        headline: headline(fit(`Used as a CA, but ${lack}: Go lets it sign nothing`, ` (${certName(t.block)})`)),
        why:
          `"${subjectOf(t.block)}" in ${t.entry.name} is used as a CA, but ${flags}, ` +
          `so Go refuses it as the signer of anything, trust anchor or not. ` +
          `A registry certificate it issued fails: ${say(t.runtimes, "reports", "report")} ${text}.`,
        fix: {
          text:
            `Reissue the CA with basicConstraints critical, CA:TRUE and keyUsage keyCertSign, ` +
            `cRLSign (openssl: -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign).`,
        },
      });
    }
  },
});
