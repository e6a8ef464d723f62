import { ENCRYPTED, unparseableKeys } from "../src/facts/pairs.js";
import { defineRule, type FixAdvice } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";
import type { KeyKind } from "../src/material/go-keys.js";

interface Explanation {
  messageId: string;
  headline: string;
  /** Why, after "Go cannot use <file> as a client key: ". */
  why: string;
  fix: FixAdvice;
}

const NEW_PAIR: FixAdvice = {
  text: "Issue a new key pair with an RSA, ECDSA or Ed25519 key, and a client certificate for it.",
};

function explain(kind: KeyKind, bits: number | undefined, keyFile: string): Explanation {
  switch (kind) {
    case "openssh":
      // OpenSSH 9.2 writes Ed25519 keys in its own format whatever -m says: no one command converts every key.
      return {
        messageId: "openssh",
        headline: "OpenSSH-format private key; Go's TLS reads PKCS#1, PKCS#8 and SEC1 keys only",
        why: "it is in OpenSSH's own format, which Go's TLS cannot read.",
        fix: {
          text:
            `Export the key as PEM (for example ssh-keygen -p -m PEM -f ${keyFile} for RSA or ECDSA keys; ` +
            `ssh-keygen keeps Ed25519 keys in its own format), or issue a new key pair with openssl.`,
        },
      };
    case "dsa":
      return {
        messageId: "dsa",
        headline: "DSA private key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only",
        why: "it is a DSA key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only.",
        fix: NEW_PAIR,
      };
    case "rsa-pss":
      return {
        messageId: "rsa-pss",
        headline: "RSASSA-PSS private key (PKCS#8 id-RSASSA-PSS), which Go does not parse",
        why: "it is an RSASSA-PSS key (PKCS#8 algorithm id-RSASSA-PSS), which Go does not parse.",
        fix: { text: "Reissue the pair with a plain RSA key." },
      };
    case "x25519":
    case "x448":
      return {
        messageId: "key-agreement",
        headline: `${kind === "x25519" ? "X25519" : "X448"} key: a key-agreement key, not a signing key`,
        why: "it is a key-agreement key (X25519/X448), not a signing key; a client certificate needs RSA, ECDSA or Ed25519.",
        fix: NEW_PAIR,
      };
    case "ed448":
      return {
        messageId: "ed448",
        headline: "Ed448 private key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only",
        why: "it is an Ed448 key; Go's TLS accepts RSA, ECDSA and Ed25519 keys only.",
        fix: NEW_PAIR,
      };
    case "ec-unsupported-curve":
      return {
        messageId: "unsupported-curve",
        headline: "Elliptic-curve key on a curve Go does not support (only P-224, P-256, P-384, P-521)",
        why: "its elliptic curve is not one Go supports (P-224, P-256, P-384, P-521).",
        fix: {
          text: "Issue a new key pair on P-256 (or with an RSA or Ed25519 key), and a client certificate for it.",
        },
      };
    case "rsa":
      return bits !== undefined && bits < 1024
        ? {
            messageId: "rsa-too-small",
            headline: `RSA key of ${bits} bits; Go 1.24 and later (Docker v29+) refuse RSA keys under 1024 bits`,
            why: `it is a ${bits}-bit RSA key; Go 1.24 and later (Docker v29+) refuse RSA keys under 1024 bits.`,
            fix: { text: "Reissue the pair with at least 2048 bits." },
          }
        : {
            messageId: "rsa-malformed",
            headline: "RSA private key Go cannot parse (inconsistent or malformed)",
            why: "Go could not parse this RSA key (it is inconsistent or malformed).",
            fix: { text: "Export the key again from where it was made, or issue a new key pair." },
          };
    default:
      return {
        messageId: "not-a-key",
        headline: "Not a private key Go can parse (PKCS#1, PKCS#8 or SEC1, unencrypted)",
        why: "its content is not a private key Go can parse (PKCS#1, PKCS#8 or SEC1, unencrypted).",
        fix: { text: "Put the client certificate's private key here, as PEM, unencrypted." },
      };
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
      const e = explain(k.kind, k.bits, k.keyFile);
      report({
        file: k.keyFile,
        messageId: e.messageId,
        headline: e.headline,
        why:
          `Go cannot use ${k.keyFile} as a client key: ${e.why} ` +
          `${say(k.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: e.fix,
        runtimeErrors: k.errors,
      });
    }
  },
});
