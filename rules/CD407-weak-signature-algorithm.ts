import { loadedClientChains, trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { certName, fit, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { goProfile } from "../src/material/go-profile.js";
import {
  goName,
  insecureSignature,
  isSelfIssued,
  signatureAlgorithmName,
  unknownAuthorityNamed,
} from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";

/** Registries are judged as a Go 1.19–1.23 server would (distribution 2.8 and 3.0, Harbor): the text carries the GODEBUG hint. */
const REGISTRY_GO = goProfile("1.21");

export default defineRule({
  meta: {
    id: "CD407",
    name: "weak-signature-algorithm",
    severity: "error",
    description:
      "A certificate signed with SHA-1 or MD5: a client certificate Go registries refuse; " +
      "a CA that likely issues such signatures",
    programText: {
      docker:
        'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: ' +
        'insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "<name>")',
    },
  },
  check(ctx, report) {
    for (const pair of loadedClientChains(ctx)) {
      const certs = [pair.leaf, ...pair.chain];
      const weak = certs.find((c) => c.parse.cert && insecureSignature(c.parse.cert, REGISTRY_GO));
      if (!weak?.parse.cert) continue;
      const inner = insecureSignature(weak.parse.cert, REGISTRY_GO)!;
      const issuer = goName(weak.parse.cert.rawIssuer);
      const serverText =
        `tls: failed to verify client certificate: ` +
        `${unknownAuthorityNamed(inner, weak.parse.cert.rawIssuer) ?? inner}`;
      const algorithm = signatureAlgorithmName(weak.parse.cert.signatureAlgorithmOid);
      report({
        file: pair.certFile,
        runtimes: pair.runtimes,
        messageId: weak === pair.leaf ? "client-certificate" : "chain-certificate",
        headline: headline(
          weak === pair.leaf
            ? `Client certificate signed with ${algorithm}, which Go registries refuse (Go 1.18+)`
            : `${certName(weak)} in the client chain is signed with ${algorithm}, which Go registries refuse`,
        ),
        why:
          `${weak === pair.leaf ? `The client certificate in ${pair.certFile}` : `"${subjectOf(weak)}" in ${pair.certFile}`} is signed with ` +
          `${algorithm}, ` +
          `which Go has refused since 1.18. ` +
          `${say(pair.runtimes, "sends", "send")} it, ` +
          `and a Go registry rejects it: it logs "${serverText}" and the client sees remote error: tls: bad certificate.`,
        fix: {
          text: `Reissue it from ${issuer.commonName ? `"${issuer.commonName}"` : "its CA"} with SHA-256 (openssl x509 -req -sha256 ...).`,
        },
      });
    }
    for (const t of trustedCertificates(ctx)) {
      const weakFor = t.runtimes.filter((r) => insecureSignature(t.cert, ctx.go(r)));
      if (!weakFor.length) continue;
      const algo = signatureAlgorithmName(t.cert.signatureAlgorithmOid);
      report({
        file: t.entry.name,
        severity: "info",
        runtimes: weakFor,
        messageId: "ca",
        headline: headline(
          fit(
            `CA ${isSelfIssued(t.cert) ? "self-signed" : "signed"} with ${algo}: harmless itself, but Go refuses certificates signed that way`,
            ` (${certName(t.block, 30)})`,
          ),
        ),
        why:
          `"${subjectOf(t.block)}" in ${t.entry.name} is ${isSelfIssued(t.cert) ? "self-signed" : "signed"} with ` +
          `${algo}. ` +
          `As a trust anchor its own signature is never checked, so it still works; ` +
          `but a CA set up this way often signs with ${algo} too, ` +
          `and Go (1.18+) refuses every certificate signed that way: x509: ` +
          `certificate signed by unknown authority (possibly because of "${insecureSignature(t.cert, ctx.go(weakFor[0]!))}" ...).`,
        fix: { text: "Reissue the CA with SHA-256 when you can." },
      });
    }
  },
});
