import { loadedClientChains } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certName, clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { allowsUsage, INCOMPATIBLE_USAGE } from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";

export default defineRule({
  meta: {
    id: "CD307",
    name: "client-cert-without-client-auth",
    severity: "error",
    description:
      "A client certificate (or a certificate in its chain) whose extended key usage leaves out clientAuth: " +
      "the registry rejects it",
    // What the client prints; the registry's own log says why: tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage.
    programText: {
      docker: "remote error: tls: bad certificate",
      containerd: "remote error: tls: bad certificate",
      podman: "remote error: tls: bad certificate",
    },
  },
  check(ctx, report) {
    for (const pair of loadedClientChains(ctx)) {
      const bad = [pair.leaf, ...pair.chain].find((c) => c.parse.cert && !allowsUsage(c.parse.cert, "clientAuth"));
      if (!bad?.parse.cert) continue;
      const usages = [...bad.parse.cert.extKeyUsage, ...bad.parse.cert.unknownExtKeyUsage].join(", ");
      const which =
        bad === pair.leaf
          ? `The client certificate in ${pair.certFile}`
          : `"${subjectOf(bad)}", in the chain in ${pair.certFile},`;
      report({
        file: pair.certFile,
        runtimes: pair.runtimes,
        messageId: bad === pair.leaf ? "client-certificate" : "chain-certificate",
        headline: headline(
          bad === pair.leaf
            ? `Client certificate limited to ${clip(usages)}, without clientAuth: registries refuse it`
            : `${certName(bad)} in the client chain is limited to ${clip(usages)}, without clientAuth`,
        ),
        why:
          `${which} is limited to ${usages}, without clientAuth. ` +
          `${say(pair.runtimes, "sends", "send")} it, ` +
          `and a registry that checks client certificates refuses it: a Go registry (distribution, ` +
          `Harbor) logs "tls: failed to verify client certificate: ` +
          `${INCOMPATIBLE_USAGE}" and the client sees remote error: tls: bad certificate.`,
        fix: { text: "Reissue it with extendedKeyUsage = clientAuth." },
      });
    }
  },
});
