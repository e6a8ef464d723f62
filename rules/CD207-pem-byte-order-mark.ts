import { framingFindings } from "../src/facts/pem-framing.js";
import { defineRule } from "../src/engine/rule.js";
import { shellQuote } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD207",
    name: "pem-byte-order-mark",
    severity: "error",
    description: "A UTF-8 byte-order mark before the first BEGIN line: Go's PEM decoder does not see that block",
    programText: {
      containerd:
        'unable to load CA cert "<path>" | ' +
        "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
      docker: "tls: failed to find any PEM data in certificate input | tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const f of framingFindings(ctx, "bom", {
      headline: (blocks) => `A UTF-8 byte-order mark hides ${blocks} from Go`,
      fix: (file) => ({
        text: "Save it without the byte-order mark (UTF-8 without BOM):",
        command: `sed -i '1s/^\\xEF\\xBB\\xBF//' ${shellQuote(file)}`,
      }),
    }))
      report(f);
  },
});
