import { defineRule } from "../src/engine/rule.js";
import { errorsOn, say, isCombined } from "../src/engine/runtime-facts.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD204",
    name: "client-certificate-unparseable",
    severity: "error",
    description: "The first certificate in a client certificate file is one Go's X.509 parser rejects (malformed, negative serial)",
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    programText: { docker: "x509: malformed certificate | x509: negative serial number | x509: ...", containerd: "failed to load X509 key pair: x509: malformed certificate" },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const errors = errorsOn(ctx, [entry.name], ["certificate-parse"], (v) => !isCombined(v));
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      const negative = Object.values(errors).some((e) => e.endsWith("x509: negative serial number"));
      const note = negative
        ? " Go 1.23 and later reject negative serial numbers by default (Docker v29+, containerd v2.0.5+); reissue the certificate with a positive serial."
        : " Re-export or reissue it.";
      report({ file: entry.name, message: `Go cannot parse the first certificate in ${entry.name}, so ${say(failing, "fails", "fail")} every pull, push and login for this registry.${note}`, runtimeErrors: errors });
    }
  },
});
