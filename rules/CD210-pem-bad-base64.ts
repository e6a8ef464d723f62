import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD210",
    name: "pem-bad-base64",
    severity: "error",
    description: "A PEM block whose body is not valid base64 (a truncated or hand-edited copy): Go skips it",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const f of framingFindings(ctx, "bad-base64", {
      headline: (blocks) => `Body not valid base64: Go skips ${blocks}`,
      fix: () => ({
        text: "The block is damaged (often a truncated copy and paste): copy the certificate or key again from its source.",
      }),
    }))
      report(f);
  },
});
