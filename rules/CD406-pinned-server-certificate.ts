import { directoryHost, looksPinned } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { hostnameError, validityError } from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";
import { certName, headline } from "../src/facts/headline.js";

export default defineRule({
  meta: {
    id: "CD406",
    name: "pinned-server-certificate",
    severity: "info",
    description: "The registry's own server certificate saved as the CA: it works until the certificate is renewed",
  },
  check(ctx, report) {
    const host = directoryHost(ctx.host.name);
    for (const t of trustedCertificates(ctx)) {
      if (!looksPinned(t, host) || validityError(t.cert, ctx.now) || hostnameError(t.cert, host)) continue;
      report({
        file: t.entry.name,
        runtimes: t.runtimes,
        headline: headline(`Server certificate (${certName(t.block)}) pinned as the CA: works until it is renewed`),
        why:
          `${t.entry.name} is a server certificate ("${subjectOf(t.block)}"), not a CA. ` +
          `Go accepts it because it is the exact certificate the registry presents, so this works, ` +
          `but only until that certificate is renewed or the registry moves behind another one; ` +
          `then pulls fail with x509: certificate signed by unknown authority.`,
        fix: {
          text: `Prefer the CA that issued it${t.cert.authorityKeyId ? "" : " (or make the registry's certificate come from a CA)"}.`,
        },
      });
    }
  },
});
