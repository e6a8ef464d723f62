import { loadedClientChains } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";
import { isCaBlock, subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD308",
    name: "client-cert-is-ca",
    severity: "error",
    description: "A client pair that is a CA certificate and the CA's private key",
  },
  check(ctx, report) {
    for (const pair of loadedClientChains(ctx)) {
      if (!isCaBlock(pair.leaf)) continue;
      report({
        file: pair.keyFile,
        runtimes: pair.runtimes,
        message:
          `${pair.certFile} is a CA certificate ("${subjectOf(pair.leaf)}", ` +
          `CA:TRUE) and ${pair.keyFile} is its private key: ` +
          `${say(pair.runtimes, "sends", "send")} the CA itself as the client certificate. ` +
          `The CA's private key does not belong on clients: ` +
          `anyone who can read it can issue certificates the registry accepts. ` +
          `Issue a client certificate from the CA (extendedKeyUsage = clientAuth), use that pair, ` +
          `delete ${pair.keyFile} here, and rotate the CA if the key has been copied around.`,
      });
    }
  },
});
