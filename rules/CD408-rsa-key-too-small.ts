import { loadedClientChains, trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { certName, fit, headline } from "../src/facts/headline.js";
import { names, say } from "../src/facts/wording.js";
import { rejectsSmallRsa } from "../src/material/go-profile.js";
import { subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD408",
    name: "rsa-key-too-small",
    severity: "warning",
    description: "An RSA key under 2048 bits in a CA or client certificate (under 1024: refused by Go 1.24+ builds)",
  },
  check(ctx, report) {
    const small = (bits: number | undefined) => bits !== undefined && bits < 2048;
    for (const t of trustedCertificates(ctx)) {
      const bits = t.cert.publicKey.algorithm === "rsa" ? t.cert.publicKey.bits : undefined;
      if (!small(bits)) continue;
      const strict = t.runtimes.filter((r) => rejectsSmallRsa(ctx.go(r)));
      const tiny = bits! < 1024;
      report({
        file: t.entry.name,
        severity: tiny && strict.length ? "error" : "warning",
        runtimes: t.runtimes,
        messageId: tiny && strict.length ? "ca-key-refused" : tiny ? "ca-key-too-small" : "ca-key-small",
        headline: headline(
          fit(
            `CA with a ${bits}-bit RSA key: ${
              tiny && strict.length
                ? `${names(strict)} refuse${strict.length === 1 ? "s" : ""} it (Go 1.24+)`
                : tiny
                  ? "Go 1.24 and later refuse it"
                  : "under the accepted minimum of 2048 bits"
            }`,
            ` (${certName(t.block, 30)})`,
          ),
        ),
        why: `The CA "${subjectOf(t.block)}" in ${t.entry.name} has a ${bits}-bit RSA key.${
          tiny && strict.length
            ? ` ${say(strict, "refuses", "refuse")} RSA keys under 1024 bits (Go 1.24+, rsa1024min), so no signature this CA made verifies and every registry certificate it issued fails.`
            : tiny
              ? " Go 1.24 and later refuse RSA keys under 1024 bits; the next upgrade breaks every registry certificate it issued."
              : " It still works, but 2048 bits is the accepted minimum and registries and clients are dropping support for smaller keys."
        }`,
        fix: { text: "Reissue the CA with a 2048-bit (or larger) RSA key, or an ECDSA P-256 key." },
      });
    }
    for (const pair of loadedClientChains(ctx)) {
      const key = pair.leaf.parse.cert?.publicKey;
      if (key?.algorithm !== "rsa" || !small(key.bits)) continue;
      const tiny = key.bits! < 1024;
      const later = checked(ctx).filter((r) => !rejectsSmallRsa(ctx.go(r)));
      const builtBefore124 = later.length
        ? `${say(later, "is", "are")} built with Go older than 1.24`
        : "these builds predate Go 1.24";
      report({
        file: pair.certFile,
        runtimes: pair.runtimes,
        messageId: tiny ? "client-key-too-small" : "client-key-small",
        headline: tiny
          ? `Client certificate with a ${key.bits}-bit RSA key: Go 1.24 and later refuse the key`
          : `Client certificate with a ${key.bits}-bit RSA key, under the accepted minimum of 2048 bits`,
        why:
          `The client certificate in ${pair.certFile} has a ${key.bits}-bit RSA key.` +
          (tiny
            ? ` It loads here only because ${builtBefore124}; Go 1.24+ refuse the key (tls: failed to parse private key).`
            : " 2048 bits is the accepted minimum; registries are entitled to refuse it."),
        fix: { text: "Reissue the pair with a 2048-bit RSA or an ECDSA P-256 key." },
      });
    }
  },
});
