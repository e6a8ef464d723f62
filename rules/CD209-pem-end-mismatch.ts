import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD209",
    name: "pem-end-mismatch",
    severity: "error",
    description: "A PEM block whose END line names another type than its BEGIN line: Go skips it",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const f of framingFindings(ctx, "end-mismatch", {
      headline: (blocks) => `END line names another type than BEGIN: Go skips ${blocks}`,
      fix: () => ({
        text: "Make the END line name the same type as the BEGIN line (-----END CERTIFICATE----- for -----BEGIN CERTIFICATE-----).",
      }),
    }))
      report(f);
  },
});
