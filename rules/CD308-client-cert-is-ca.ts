import { loadedClientChains } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { isRealCa } from "../src/facts/issuers.js";
import { certName, clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { isCaBlock, subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD308",
    name: "client-cert-is-ca",
    severity: "error",
    description:
      "A client pair that is a CA certificate and the CA's private key (a self-signed one that issued nothing: info)",
  },
  check(ctx, report) {
    for (const pair of loadedClientChains(ctx)) {
      if (!isCaBlock(pair.leaf)) continue;
      if (!isRealCa(ctx, pair.leaf)) {
        // The Docker docs' recipe: `openssl req -new -x509 -key client.key -out client.cert` (OpenSSL 3 says CA:TRUE).
        report({
          file: pair.certFile,
          severity: "info",
          runtimes: pair.runtimes,
          messageId: "self-signed-client",
          headline: headline(
            `Self-signed client certificate (${certName(pair.leaf)}); the registry must trust this very certificate`,
          ),
          why:
            `${pair.certFile} is a self-signed client certificate ("${subjectOf(pair.leaf)}"); ` +
            `it says CA:TRUE, as OpenSSL 3 marks every certificate made with openssl req -x509, ` +
            `but it issued nothing here and is not a leaked CA. ` +
            `${say(pair.runtimes, "sends", "send")} it, and a registry accepts it only if it trusts this very certificate ` +
            `(for the Docker registry: listed in http.tls.clientcas); a Go registry does not mind CA:TRUE on a client ` +
            `certificate.`,
          fix: {
            text:
              "To have one CA vouch for many clients instead, issue client certificates from a CA " +
              "(extendedKeyUsage = clientAuth).",
          },
        });
        continue;
      }
      report({
        file: pair.keyFile,
        runtimes: pair.runtimes,
        messageId: "ca-as-client",
        headline: headline(`The CA's own private key: ${clip(pair.certFile)} is a CA, sent as the client certificate`),
        why:
          `${pair.certFile} is a CA certificate ("${subjectOf(pair.leaf)}", ` +
          `CA:TRUE) and ${pair.keyFile} is its private key: ` +
          `${say(pair.runtimes, "sends", "send")} the CA itself as the client certificate. ` +
          `The CA's private key does not belong on clients: ` +
          `anyone who can read it can issue certificates the registry accepts.`,
        fix: {
          text:
            `Issue a client certificate from the CA (extendedKeyUsage = clientAuth), use that pair, ` +
            `delete ${pair.keyFile} here, and rotate the CA if the key has been copied around.`,
        },
      });
    }
  },
});
