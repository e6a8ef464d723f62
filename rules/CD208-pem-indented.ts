import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";
import { shellQuote } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD208",
    name: "pem-indented",
    severity: "error",
    description: "An indented BEGIN line (spaces or tabs in front): Go's PEM decoder does not see that block",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const f of framingFindings(ctx, "indented", {
      headline: (blocks) => `Indented BEGIN line: Go does not see ${blocks}`,
      fix: (file) => ({
        text: "Remove the indentation in front of the BEGIN and END lines:",
        command: `sed -i 's/^[[:space:]]*-----/-----/' ${shellQuote(file)}`,
      }),
    }))
      report(f);
  },
});
