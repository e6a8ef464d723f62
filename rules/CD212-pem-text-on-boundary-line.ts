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
      for (const f of framingFindings(ctx, r, {
        messageId: r === "malformed-begin" ? "text-before-begin" : "text-after-end",
        headline: (blocks) =>
          r === "malformed-begin"
            ? `Text in front of a BEGIN line: Go does not see ${blocks}`
            : `Text after an END line: Go does not see ${blocks}`,
        fix: () => ({ text: "Put the BEGIN and END lines on lines of their own." }),
      }))
        report(f);
    }
  },
});
