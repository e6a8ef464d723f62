import { directoryHost, looksPinned } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import { hostnameFailure, isSelfIssued, parseIp, validityError } from "../src/material/go-verify.js";
import { subjectOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD405",
    name: "pinned-certificate-name-mismatch",
    severity: "error",
    description: "A server certificate saved as the CA (pinned) whose names do not cover the directory's registry",
    programText: {
      docker:
        "x509: certificate relies on legacy Common Name field, use SANs instead | " +
        "x509: certificate is valid for <names>, not <host> | " +
        "x509: cannot validate certificate for <ip> because it doesn't contain any IP SANs | " +
        "x509: certificate is not valid for any names, but wanted to match <host>",
    },
  },
  check(ctx, report) {
    if (ctx.host.name === "_default") return;
    const host = directoryHost(ctx.host.name);
    for (const t of trustedCertificates(ctx)) {
      if (!looksPinned(t, host)) continue;
      if (validityError(t.cert, ctx.now)) continue; // Go checks the dates first: CD401/CD402
      const failure = hostnameFailure(t.cert, host);
      if (!failure) continue;
      const { text } = failure;
      const selfSigned = isSelfIssued(t.cert);
      const errors = Object.fromEntries(t.runtimes.map((r) => [r, text])) as Partial<Record<RuntimeId, string>>;
      // An address is matched against IP SANs only: DNS:10.0.0.5 would give "doesn't contain any IP SANs".
      const san = parseIp(host) ? `IP:${host}` : `DNS:${host}`;
      const background = failure.kind === "legacy-common-name" ? " Go has ignored the Common Name since 1.15." : "";
      const fix =
        failure.kind === "legacy-common-name"
          ? `Reissue it with subjectAltName = ${san}.`
          : failure.kind === "no-ip-sans"
            ? `Reissue it with subjectAltName = IP:${host}, ` +
              `or use the registry's DNS name in image references and in this directory's name.`
            : `Reissue it with subjectAltName = DNS:${host}, or name the directory after a name it covers.`;
      const pinned = "Pinned server certificate";
      const names = t.cert.dnsNames.join(", ");
      const title =
        failure.kind === "legacy-common-name"
          ? `${pinned} names ${clip(host)} only in its Common Name, ignored by Go`
          : failure.kind === "no-ip-sans"
            ? `${pinned} has no IP SANs, and ${clip(host)} is an address`
            : failure.kind === "no-names"
              ? `${pinned} is valid for no names at all, not for ${clip(host)}`
              : names
                ? `${pinned} is for ${clip(names, 30)}, not ${clip(host)}`
                : `${pinned} does not cover ${clip(host)}`;
      report({
        file: t.entry.name,
        severity: selfSigned ? "error" : "warning",
        runtimes: t.runtimes,
        runtimeErrors: errors,
        messageId: failure.kind,
        headline: headline(title),
        why:
          `${t.entry.name} holds ${selfSigned ? "a self-signed server certificate" : "a server certificate"} ("${subjectOf(t.block)}"), ` +
          `pinned as the CA for ${ctx.host.name}. ` +
          `If it is the registry's certificate, every handshake fails: Go checks the registry's name before trusting it, ` +
          `and ${say(t.runtimes, "reports", "report")} ${text}.${background}`,
        fix: { text: fix },
      });
    }
  },
});
