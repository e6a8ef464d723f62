import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { certificatesForKey } from "../src/facts/key-owners.js";
import { isRealCa } from "../src/facts/issuers.js";
import { subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD206",
    name: "private-key-in-crt",
    severity: "warning",
    description: "A private key inside a .crt: secret material in a file meant to be public (the CA loader skips it)",
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const m = ctx.material(entry);
      if (!m?.keys.length) continue;
      // Read as a CA file that yields certificates (a .crt holding only a key is CD201's).
      const rt = checked(ctx).filter((r) => {
        const v = ctx.verdict(r, entry.name);
        return v?.role === "ca" && (v.certificates ?? 0) > 0;
      });
      if (!rt.length) continue;
      const owner = m.keys.flatMap((k) =>
        k.parse.key ? certificatesForKey(ctx, k.parse.key).filter((o) => o.entry === entry) : [],
      )[0]?.block;
      const ca = !!owner && isRealCa(ctx, owner);
      const whose = owner
        ? ca
          ? ` It is the private key of the CA "${subjectOf(owner)}": ` +
            `whoever can read this file can issue certificates that everything trusting this CA accepts.`
          : ` It is the private key of "${subjectOf(owner)}".`
        : "";
      report({
        file: entry.name,
        runtimes: rt,
        messageId: ca ? "ca-key" : "private-key",
        headline: ca
          ? "The CA's own private key, in a .crt file meant to be public"
          : "A private key in a .crt file meant to be public",
        why:
          `${entry.name} holds a private key (the ${m.keys[0]!.type} block on line ${m.keys[0]!.line}). ` +
          `The CA loaders skip it, but .crt files are meant to be public: ` +
          `they are copied to every machine and often world-readable.${whose}`,
        fix: {
          text: ca ? "Remove it, and rotate the CA if the file has been copied around." : "Remove it from the file.",
        },
      });
    }
  },
});
