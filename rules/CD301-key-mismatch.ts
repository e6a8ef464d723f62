import { ALGORITHM, pairMatchFailures } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD301",
    name: "key-mismatch",
    severity: "error",
    description: "A client key of the right algorithm that is not the private key of the .cert's certificate",
    programText: {
      docker: "tls: private key does not match public key",
      podman: "tls: private key does not match public key",
      containerd: "failed to load X509 key pair: tls: private key does not match public key",
      "docker-containerd": "failed to load X509 key pair: tls: private key does not match public key",
    },
  },
  check(ctx, report) {
    for (const p of pairMatchFailures(ctx)) {
      if (p.kind !== "mismatch") continue;
      const leaf = p.chain[0];
      const kind = p.key ? ` (both ${ALGORITHM[p.key.algorithm]})` : "";
      report({
        file: p.keyFile,
        runtimeErrors: p.errors,
        headline: headline(`Not the private key of the certificate in ${clip(p.entry.name)}${kind}`),
        why:
          `${p.entry.name} and ${p.keyFile} are not a pair${kind}: ` +
          `${p.keyFile} is not the private key of "${leaf ? subjectOf(leaf) : p.entry.name}". ` +
          `${say(p.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: { text: "Use the key the certificate was issued for, or reissue the certificate for this key." },
      });
    }
  },
});
