import { loadedClientChains } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certificatesForKey } from "../src/facts/key-owners.js";
import { isRealCa } from "../src/facts/issuers.js";
import { type CertificateBlock, certificatesOf, isCaBlock, subjectOf } from "../src/material/material.js";
import { goExt } from "../src/scan/names.js";
import { certName, headline } from "../src/facts/headline.js";

export default defineRule({
  meta: {
    id: "CD309",
    name: "ca-private-key",
    severity: "error",
    description: "A CA's private key on the client (ca.key next to ca.crt, or in any other file here)",
  },
  check(ctx, report) {
    const cas: CertificateBlock[] = [];
    for (const e of ctx.host.entries) {
      const m = ctx.material(e);
      if (m) cas.push(...certificatesOf(m).filter((c) => isRealCa(ctx, c)));
    }
    if (!cas.length) return;
    // A CA sent as the client pair is CD308's; a key inside a .crt is CD206's.
    const sentAsClient = new Set(
      loadedClientChains(ctx)
        .filter((p) => isCaBlock(p.leaf))
        .map((p) => p.keyFile),
    );
    for (const entry of ctx.host.entries) {
      if (sentAsClient.has(entry.name) || goExt(entry.name) === ".crt") continue;
      const m = ctx.material(entry);
      for (const k of m?.keys ?? []) {
        const key = k.parse.key;
        const ca = key && certificatesForKey(ctx, key).find((o) => isRealCa(ctx, o.block))?.block;
        if (!ca) continue;
        report({
          file: entry.name,
          headline: headline(`Private key of the CA (${certName(ca)}): it has no use on a client`),
          why:
            `${entry.name} holds the private key of the CA "${subjectOf(ca)}". ` +
            `It has no use on a client, and anyone who can read it can issue certificates that everything trusting this CA accepts (servers and clients alike).`,
          fix: {
            text:
              "Delete it from certs.d, keep it only where certificates are issued, " +
              "and rotate the CA if the file has been copied around.",
          },
        });
        break;
      }
    }
  },
});
