import { pairMatchFailures } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD305",
    name: "leaf-not-first",
    severity: "error",
    description:
      "A .cert chain whose first certificate is not the client's own: Go matches the key against the first only",
    programText: {
      docker: "tls: private key does not match public key",
      containerd: "failed to load X509 key pair: tls: private key does not match public key",
    },
  },
  check(ctx, report) {
    for (const p of pairMatchFailures(ctx)) {
      if (p.kind !== "leaf-not-first") continue;
      const first = p.chain[0];
      const own = p.chain[p.belongsTo]!;
      report({
        file: p.entry.name,
        runtimeErrors: p.errors,
        headline: headline(
          `The key (${clip(p.keyFile)}) belongs to certificate ${p.belongsTo + 1}, but Go compares it with the first only`,
        ),
        why:
          `${p.keyFile} belongs to certificate ${p.belongsTo + 1} in ${p.entry.name} ("${subjectOf(own)}"), ` +
          `but Go compares the key with the first certificate only ("${first ? subjectOf(first) : "?"}"). ` +
          `${say(p.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: { text: "Put the client's own certificate first, then its intermediates." },
      });
    }
  },
});
