import { defineRule } from "../src/engine/rule.js";
import { errorsOn, say, isCombined } from "../src/engine/runtime-facts.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { certificateInput, keyInput, keyMatch, TLS_KEY_MISMATCH, TLS_KEY_TYPE_MISMATCH } from "../src/material/go-tls.js";
import { subjectOf } from "../src/material/material.js";

const ALGORITHM: Record<string, string> = { rsa: "RSA", ecdsa: "ECDSA", ed25519: "Ed25519", x25519: "X25519", dsa: "DSA", unknown: "of an algorithm Go does not know" };

export default defineRule({
  meta: {
    id: "CD301",
    name: "key-mismatch",
    severity: "error",
    description: "A client key that does not belong to the first certificate of its .cert",
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    programText: {
      docker: "tls: private key does not match public key | tls: private key type does not match public key type | tls: unknown public key algorithm",
      containerd: "failed to load X509 key pair: tls: private key does not match public key",
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const errors = errorsOn(ctx, [entry.name], ["match"], (v) => !isCombined(v));
      const failing = Object.keys(errors) as RuntimeId[];
      const v = failing.length ? ctx.verdict(failing[0]!, entry.name) : undefined;
      if (!v?.partner) continue;
      const certM = ctx.material(entry);
      const keyEntry = ctx.entry(v.partner);
      const keyM = keyEntry && ctx.material(keyEntry);
      const ci = certM && certificateInput(certM);
      const ki = keyM && keyInput(keyM);
      const chain = ci && "chain" in ci ? ci.chain : [];
      const key = ki && "key" in ki ? ki.key.parse.key : null;
      const leaf = chain[0];
      let why: string;
      const later = key ? chain.findIndex((c, i) => i > 0 && c.parse.cert && keyMatch(key, c.parse.cert) === null) : -1;
      if (later > 0) {
        why = `the key belongs to certificate ${later + 1} in ${entry.name} ("${subjectOf(chain[later]!)}"), but Go compares it with the first ("${leaf ? subjectOf(leaf) : "?"}"). Put the client's own certificate first, then its chain.`;
      } else if (v.error?.endsWith(TLS_KEY_TYPE_MISMATCH) && key && leaf?.parse.cert) {
        why = `the certificate's key is ${ALGORITHM[leaf.parse.cert.publicKey.algorithm]}, the key in ${v.partner} is ${ALGORITHM[key.algorithm]}. Use the key the certificate was issued for.`;
      } else if (v.error?.endsWith(TLS_KEY_MISMATCH)) {
        why = `${v.partner} is not the private key of "${leaf ? subjectOf(leaf) : entry.name}". Use the key the certificate was issued for, or reissue the certificate for this key.`;
      } else {
        why = `Go's crypto/tls takes client certificates with RSA, ECDSA and Ed25519 keys only, and its key is ${leaf?.parse.cert ? ALGORITHM[leaf.parse.cert.publicKey.algorithm] : "of another kind"}. Reissue it for an RSA, ECDSA or Ed25519 key.`;
      }
      const unusable = !(later > 0) && !v.error?.endsWith(TLS_KEY_TYPE_MISMATCH) && !v.error?.endsWith(TLS_KEY_MISMATCH);
      const head = unusable ? `${entry.name} cannot be used as a client certificate` : `${entry.name} and ${v.partner} are not a pair`;
      report({ file: unusable ? entry.name : v.partner, message: `${head}: ${why} ${say(failing, "fails", "fail")} every pull, push and login for this registry.`, runtimeErrors: errors });
    }
  },
});
