import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn, isCombined } from "../src/facts/verdicts.js";
import { say, shellQuote } from "../src/facts/wording.js";
import type { FixAdvice } from "../src/engine/rule.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD202",
    name: "cert-file-without-certificate",
    severity: "error",
    description: "A client certificate file in which Go finds no CERTIFICATE block",
    programText: {
      docker:
        "tls: failed to find any PEM data in certificate input | " +
        "tls: failed to find certificate PEM data in certificate input, but did find a private key; " +
        "PEM inputs may have been switched | " +
        'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ' +
        "[<types>]",
      containerd: "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const errors = errorsOn(ctx, [entry.name], ["certificate-input"], (v) => !isCombined(v));
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      const partner = checked(ctx)
        .map((r) => ctx.verdict(r, entry.name)?.partner)
        .find((p) => p && p !== entry.name);
      const m = ctx.material(entry);
      // A certificate block Go cannot see for its framing: CD207–CD212 say so, with the same texts.
      if (m?.hidden.some((h) => h.type === "CERTIFICATE") && !m.certificates.length) continue;
      let why = "it holds no PEM CERTIFICATE block";
      let messageId = "no-certificate-block";
      let headline = "No PEM CERTIFICATE block: no client certificate Go can use";
      let fix: FixAdvice | undefined;
      if (m?.format === "der-certificate") {
        why = "it is DER";
        messageId = "der-certificate";
        headline = "DER-encoded (binary); Go reads only PEM";
        const f = shellQuote(entry.name);
        const pem = shellQuote(`${entry.name}.pem`);
        fix = {
          text: "Convert it to PEM:",
          command: `openssl x509 -inform der -in ${f} -out ${pem} && mv ${pem} ${f}`,
        };
      } else if (m?.blocks.length === 1 && m.blocks[0]!.type.endsWith("PRIVATE KEY")) {
        why = partner
          ? `it holds a private key: ${entry.name} and ${partner} look switched`
          : "it holds only a private key";
        messageId = partner ? "switched" : "private-key";
        headline = partner
          ? `A private key instead of the certificate: it and ${partner} look switched`
          : "Only a private key, no certificate";
        if (partner) fix = { text: `If ${entry.name} and ${partner} are switched, swap their names.` };
      } else if (m?.blocks.length) {
        why = `it holds only ${m.blocks.map((b) => b.type).join(", ")} blocks`;
        messageId = "other-blocks";
        headline = `Only ${m.blocks.map((b) => b.type).join(", ")} blocks, no CERTIFICATE block`;
      }
      report({
        file: entry.name,
        messageId,
        headline,
        why:
          `${entry.name} has no certificate Go can use: ${why}. ` +
          `${say(failing, "fails", "fail")} every pull, push and login for this registry.`,
        ...(fix ? { fix } : {}),
        runtimeErrors: errors,
      });
    }
  },
});
