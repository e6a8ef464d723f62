import { defineRule } from "../src/engine/rule.js";
import { certificatesForKey } from "../src/facts/key-owners.js";
import { directoryHost, isServerCertificate } from "../src/facts/anchors.js";
import { certName, headline } from "../src/facts/headline.js";
import { type CertificateBlock, certificatesOf, subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD310",
    name: "server-private-key",
    severity: "warning",
    description: "The registry's own server key copied to the client (domain.key beside domain.cert)",
  },
  check(ctx, report) {
    const host = directoryHost(ctx.host.name);
    const servers: CertificateBlock[] = [];
    for (const e of ctx.host.entries) {
      const m = ctx.material(e);
      if (m) servers.push(...certificatesOf(m).filter((c) => isServerCertificate(ctx, c, host)));
    }
    if (!servers.length) return;
    for (const entry of ctx.host.entries) {
      const m = ctx.material(entry);
      for (const k of m?.keys ?? []) {
        const key = k.parse.key;
        const cert = key && certificatesForKey(ctx, key).find((o) => isServerCertificate(ctx, o.block, host))?.block;
        if (!cert) continue;
        report({
          file: entry.name,
          headline: headline(`The registry's own server key (${certName(cert)}), copied to a client`),
          why:
            `${entry.name} holds the private key of the server certificate "${subjectOf(cert)}": the registry's own key, ` +
            `copied to a client. It is no client credential, and whoever reads it can impersonate the registry.`,
          fix: {
            text:
              "Remove it; clients need only the CA (as ca.crt) and, if the registry asks for one, " +
              "a client certificate of their own.",
          },
        });
        break;
      }
    }
  },
});
