import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD212",
    name: "pem-text-on-boundary-line",
    severity: "error",
    description: "Text on the same line as a BEGIN or END line: Go's PEM decoder does not see that block",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const r of ["malformed-begin", "trailing-text"] as const) {
      for (const f of framingFindings(ctx, r, () => ` Put the BEGIN and END lines on lines of their own.`)) report(f);
    }
  },
});
