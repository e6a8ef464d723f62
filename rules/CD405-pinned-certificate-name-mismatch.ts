import { directoryHost, looksPinned } from "../src/facts/anchors.js";
import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
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
      const fix =
        failure.kind === "legacy-common-name"
          ? ` Go has ignored the Common Name since 1.15: reissue it with subjectAltName = ${san}.`
          : failure.kind === "no-ip-sans"
            ? ` Reissue it with subjectAltName = IP:${host}, ` +
              `or use the registry's DNS name in image references and in this directory's name.`
            : ` Reissue it with subjectAltName = DNS:${host}, or name the directory after a name it covers.`;
      report({
        file: t.entry.name,
        severity: selfSigned ? "error" : "warning",
        runtimes: t.runtimes,
        runtimeErrors: errors,
        message:
          `${t.entry.name} holds ${selfSigned ? "a self-signed server certificate" : "a server certificate"} ("${subjectOf(t.block)}"), ` +
          `pinned as the CA for ${ctx.host.name}. ` +
          `If it is the registry's certificate, every handshake fails: Go checks the registry's name before trusting it, ` +
          `and ${say(t.runtimes, "reports", "report")} ${text}.${fix}`,
      });
    }
  },
});
