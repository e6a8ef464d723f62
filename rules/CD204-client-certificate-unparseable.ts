import { defineRule } from "../src/engine/rule.js";
import { errorsOn, isCombined } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { X509_NEGATIVE_SERIAL } from "../src/material/go-x509.js";

export default defineRule({
  meta: {
    id: "CD204",
    name: "client-certificate-unparseable",
    severity: "error",
    description:
      "The first certificate in a client certificate file is one Go's X.509 parser rejects (malformed DER, " +
      "bad fields)",
    programText: {
      docker: "x509: malformed certificate | x509: malformed tbs certificate",
      containerd: "failed to load X509 key pair: x509: malformed certificate",
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      // Negative serial numbers are CD409's.
      const errors = errorsOn(
        ctx,
        [entry.name],
        ["certificate-parse"],
        (v) => !isCombined(v) && !(v.error ?? "").endsWith(X509_NEGATIVE_SERIAL),
      );
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      report({
        file: entry.name,
        headline: "Go cannot parse the first certificate in it",
        why:
          `Go cannot parse the first certificate in ${entry.name}, so ${say(failing, "fails", "fail")} every pull, ` +
          `push and login for this registry.`,
        fix: { text: "Re-export or reissue it." },
        runtimeErrors: errors,
      });
    }
  },
});
