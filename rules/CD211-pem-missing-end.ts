import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD211",
    name: "pem-missing-end",
    severity: "error",
    description: "A PEM block without its END line: Go skips it",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const f of framingFindings(ctx, "no-end", {
      headline: (blocks) => `No END line: Go skips ${blocks}`,
      fix: () => ({ text: "The file is cut short: copy it again from its source, END line included." }),
    }))
      report(f);
  },
});
