import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD204",
    name: "client-certificate-unparseable",
    severity: "error",
    description: "The first certificate in a .cert is one Go's X.509 parser rejects (malformed, negative serial)",
    runtimes: ["docker"],
    programText: { docker: "x509: malformed certificate | x509: negative serial number | x509: ..." },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const v = ctx.verdict("docker", entry.name);
      if (v?.role !== "client-certificate" || v.cause !== "certificate-parse" || !v.error) continue;
      const note = v.error === "x509: negative serial number" ? " Go 1.23 and later reject negative serial numbers (Docker v29+, containerd v2.0.5+); reissue the certificate with a positive serial." : " Re-export or reissue it.";
      report({ file: entry.name, message: `Go cannot parse the first certificate in ${entry.name} (${v.error}), so Docker fails every pull, push and login for this registry.${note}`, runtimeErrors: { docker: v.error } });
    }
  },
});
