import { type TrustedCertificate, trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { goName } from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";
import { certName, clip, fit, headline } from "../src/facts/headline.js";

export default defineRule({
  meta: {
    id: "CD411",
    name: "ca-same-name-different-key",
    severity: "warning",
    description: "Two CAs with the same name and different keys: one is stale (a regenerated CA) or a look-alike",
    programText: {
      docker:
        'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: ' +
        'verification error" while trying to verify candidate authority certificate "<name>")',
    },
  },
  check(ctx, report) {
    // Only certificates with the same subject are compared: a bundle of hundreds is grouped, not paired.
    const bySubject = new Map<string, TrustedCertificate[]>();
    for (const t of trustedCertificates(ctx)) {
      const k = Buffer.from(t.cert.rawSubject).toString("hex");
      const group = bySubject.get(k);
      if (group) group.push(t);
      else bySubject.set(k, [t]);
    }
    const reported = new Set<string>();
    for (const group of bySubject.values()) {
      for (const [i, a] of group.entries()) {
        for (const b of group.slice(i + 1)) {
          if (Buffer.compare(Buffer.from(a.cert.publicKey.spki), Buffer.from(b.cert.publicKey.spki)) === 0) continue;
          const key = `${a.block.sha256}${b.block.sha256}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const cn = goName(a.cert.rawSubject).commonName || subjectOf(a.block);
          report({
            file: b.entry.name,
            runtimes: b.runtimes,
            headline: headline(
              fit(
                `${a.entry.name === b.entry.name ? "Two CAs with the same name" : `Same CA name as in ${clip(a.entry.name)}`}, with a different key: one is stale`,
                ` (${certName(a.block, 30)})`,
              ),
            ),
            why:
              `${a.entry.name} and ${b.entry.name} both hold a CA named "${subjectOf(a.block)}", with different keys. ` +
              `Go tries every CA with the registry's issuer name, so the right one still wins while both are here; ` +
              `but the other is stale (the CA was regenerated) or a look-alike, ` +
              `and if the right one is ever removed the error names the wrong one: x509: ` +
              `certificate signed by unknown authority (possibly because of "crypto/rsa: ` +
              `verification error" while trying to verify candidate authority certificate "${cn}").`,
            fix: { text: "Keep only the CA that issued the registry's certificate." },
          });
        }
      }
    }
  },
});
