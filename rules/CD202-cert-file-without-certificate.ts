import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD202",
    name: "cert-file-without-certificate",
    severity: "error",
    description: "A client certificate file (.cert) in which Go finds no CERTIFICATE block",
    runtimes: ["docker"],
    programText: {
      docker: 'tls: failed to find any PEM data in certificate input | tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched | tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [<types>]',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const v = ctx.verdict("docker", entry.name);
      if (v?.role !== "client-certificate" || v.cause !== "certificate-input" || !v.error) continue;
      const m = ctx.material(entry);
      let why = "it holds no PEM CERTIFICATE block";
      if (m?.format === "der-certificate") why = `it is DER; convert it with \`openssl x509 -inform der -in ${entry.name} -out ${entry.name}.pem && mv ${entry.name}.pem ${entry.name}\``;
      else if (m?.blocks.length === 1 && m.blocks[0]!.type.endsWith("PRIVATE KEY")) why = `it holds a private key: ${entry.name} and ${v.partner} look switched`;
      else if (m?.blocks.length) why = `it holds only ${m.blocks.map((b) => b.type).join(", ")} blocks`;
      else if (m?.bom) why = "a UTF-8 byte-order mark hides its BEGIN line";
      report({ file: entry.name, message: `${entry.name} has no certificate Go can use: ${why}. Docker fails every pull, push and login for this registry.`, runtimeErrors: { docker: v.error } });
    }
  },
});
