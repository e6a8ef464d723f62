import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn, isCombined } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
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
      if (m?.format === "der-certificate")
        why =
          `it is DER; convert it with \`openssl x509 -inform der -in ${entry.name} -out ${entry.name}.pem && mv ` +
          `${entry.name}.pem ${entry.name}\``;
      else if (m?.blocks.length === 1 && m.blocks[0]!.type.endsWith("PRIVATE KEY"))
        why = partner
          ? `it holds a private key: ${entry.name} and ${partner} look switched`
          : "it holds only a private key";
      else if (m?.blocks.length) why = `it holds only ${m.blocks.map((b) => b.type).join(", ")} blocks`;
      report({
        file: entry.name,
        message:
          `${entry.name} has no certificate Go can use: ${why}. ` +
          `${say(failing, "fails", "fail")} every pull, push and login for this registry.`,
        runtimeErrors: errors,
      });
    }
  },
});
