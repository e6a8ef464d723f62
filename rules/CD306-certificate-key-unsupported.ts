import { ALGORITHM, pairMatchFailures } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD306",
    name: "certificate-key-unsupported",
    severity: "error",
    description: "A client certificate for a key crypto/tls cannot use (DSA, X25519, an unknown algorithm)",
    programText: {
      docker: "tls: unknown public key algorithm",
      podman: "tls: unknown public key algorithm",
      containerd: "failed to load X509 key pair: tls: unknown public key algorithm",
      "docker-containerd": "failed to load X509 key pair: tls: unknown public key algorithm",
    },
  },
  check(ctx, report) {
    for (const p of pairMatchFailures(ctx)) {
      if (p.kind !== "unsupported-certificate-key") continue;
      const cert = p.chain[0]?.parse.cert;
      const algorithm =
        cert && cert.publicKey.algorithm !== "unknown" ? ALGORITHM[cert.publicKey.algorithm] : undefined;
      const keyKind = algorithm
        ? `${/^[AEIOUXR]/.test(algorithm) ? "an" : "a"} ${algorithm} key`
        : "a key of another kind";
      report({
        file: p.entry.name,
        runtimeErrors: p.errors,
        headline: `Client certificate for ${keyKind}; Go's crypto/tls takes RSA, ECDSA and Ed25519 only`,
        why:
          `${p.entry.name} cannot be used as a client certificate: Go's crypto/tls takes client certificates with RSA, ` +
          `ECDSA and Ed25519 keys only, and its key is ` +
          `${cert ? ALGORITHM[cert.publicKey.algorithm] : "of another kind"}. ` +
          `${say(p.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: { text: "Reissue it for an RSA, ECDSA or Ed25519 key." },
      });
    }
  },
});
