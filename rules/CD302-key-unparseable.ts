import { ENCRYPTED, unparseableKeys } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";
import type { KeyKind } from "../src/material/go-keys.js";

function explain(kind: KeyKind, bits: number | undefined): string {
  switch (kind) {
    case "openssh":
      return "it is in OpenSSH's own format, which Go's TLS cannot read. Export the key as PEM (for example `ssh-keygen -p -m PEM -f <file>` for RSA or ECDSA keys), or issue a new key pair with openssl.";
    case "dsa":
      return "it is a DSA key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only.";
    case "rsa-pss":
      return "it is an RSASSA-PSS key (PKCS#8 algorithm id-RSASSA-PSS), which Go does not parse; reissue the pair with a plain RSA key.";
    case "x25519":
    case "x448":
      return "it is a key-agreement key (X25519/X448), not a signing key; a client certificate needs RSA, ECDSA or Ed25519.";
    case "ed448":
      return "it is an Ed448 key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only.";
    case "ec-unsupported-curve":
      return "its elliptic curve is not one Go supports (P-224, P-256, P-384, P-521).";
    case "rsa":
      return bits !== undefined && bits < 1024
        ? `it is a ${bits}-bit RSA key; Go 1.24 and later (Docker v29+) refuse RSA keys under 1024 bits. ` +
            `Reissue the pair with at least 2048 bits.`
        : "Go could not parse this RSA key (it is inconsistent or malformed).";
    default:
      return "its content is not a private key Go can parse (PKCS#1, PKCS#8 or SEC1, unencrypted).";
  }
}

export default defineRule({
  meta: {
    id: "CD302",
    name: "key-unparseable",
    severity: "error",
    description:
      "A client key Go cannot use: OpenSSH, DSA, RSA-PSS, X25519/X448, Ed448, an unsupported curve, " +
      "RSA under 1024 bits",
    programText: {
      docker: "tls: failed to parse private key | tls: found unknown private key type in PKCS#8 wrapping",
      containerd: "failed to load X509 key pair: tls: failed to parse private key",
    },
  },
  check(ctx, report) {
    for (const k of unparseableKeys(ctx)) {
      if (ENCRYPTED.includes(k.kind)) continue; // CD303
      report({
        file: k.keyFile,
        message:
          `Go cannot use ${k.keyFile} as a client key: ` +
          `${explain(k.kind, k.bits)} ${say(k.failing, "fails", "fail")} every pull, ` +
          `push and login for this registry.`,
        runtimeErrors: k.errors,
      });
    }
  },
});
