import { ALGORITHM, pairMatchFailures } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD304",
    name: "key-type-mismatch",
    severity: "error",
    description: "A client key of another algorithm than the certificate's (an EC key beside an RSA certificate)",
    programText: {
      docker: "tls: private key type does not match public key type",
      podman: "tls: private key type does not match public key type",
      containerd: "failed to load X509 key pair: tls: private key type does not match public key type",
      "docker-containerd": "failed to load X509 key pair: tls: private key type does not match public key type",
    },
  },
  check(ctx, report) {
    for (const p of pairMatchFailures(ctx)) {
      if (p.kind !== "type-mismatch") continue;
      const cert = p.chain[0]?.parse.cert;
      const what =
        cert && p.key
          ? `the certificate's key is ${ALGORITHM[cert.publicKey.algorithm]}, ` +
            `the key in ${p.keyFile} is ${ALGORITHM[p.key.algorithm]}`
          : "the key is of another algorithm than the certificate's";
      report({
        file: p.keyFile,
        runtimeErrors: p.errors,
        headline: headline(
          cert && p.key
            ? `Key is ${ALGORITHM[p.key.algorithm]}, the certificate in ${clip(p.entry.name)} is ` +
                `${ALGORITHM[cert.publicKey.algorithm]}: not a pair`
            : `Key of another algorithm than the certificate in ${clip(p.entry.name)}: not a pair`,
        ),
        why:
          `${p.entry.name} and ${p.keyFile} are not a pair: ${what}. ` +
          `${say(p.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: { text: "Use the key the certificate was issued for." },
      });
    }
  },
});
