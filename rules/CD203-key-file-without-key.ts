import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD203",
    name: "key-file-without-key",
    severity: "error",
    description: 'A client key file (.key) in which Go finds no block of type "PRIVATE KEY" or "... PRIVATE KEY"',
    runtimes: ["docker"],
    programText: {
      docker: 'tls: failed to find any PEM data in key input | tls: found a certificate rather than a key in the PEM for the private key | tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [<types>]',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const v = ctx.verdict("docker", entry.name);
      if (v?.role !== "client-certificate" || v.cause !== "key-input" || !v.error || !v.partner) continue;
      const keyEntry = ctx.entry(v.partner);
      const m = keyEntry && ctx.material(keyEntry);
      let why = "it holds no PEM private key";
      if (!m || m.format === "empty") why = "it is empty";
      else if (m.blocks.length && m.blocks.every((b) => b.type === "CERTIFICATE")) why = `it holds ${m.blocks.length === 1 ? "a certificate" : `${m.blocks.length} certificates`} instead of the private key`;
      else if (m.blocks.length) why = `it holds only ${m.blocks.map((b) => b.type).join(", ")} blocks`;
      else if (m.format === "der-other") why = "it is binary DER; Go reads keys only as PEM";
      else if (m.format === "text" && /^pkcs11:/m.test(keyEntry.content.status === "read" ? keyEntry.content.data.toString("latin1") : "")) {
        why = "it holds a PKCS#11 URI, which Docker does not support";
      }
      report({ file: v.partner, message: `${v.partner} has no private key Go can find: ${why}. Docker fails every pull, push and login for this registry.`, runtimeErrors: { docker: v.error } });
    }
  },
});
