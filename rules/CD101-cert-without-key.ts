import { defineRule } from "../src/engine/rule.js";
import { goExt } from "../src/runtimes/docker.js";
import { isAppleDouble } from "../src/scan/names.js";
import { isCaSavedAsCert } from "./CD103-ca-saved-as-cert.js";

export default defineRule({
  meta: {
    id: "CD101",
    name: "cert-without-key",
    severity: "error",
    description: "A client certificate (.cert) without the .key of the same name",
    runtimes: ["docker"],
    programText: { docker: "missing key <k> for client certificate <c>. CA certificates must use the extension .crt" },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (goExt(entry.name) !== ".cert" || isCaSavedAsCert(ctx, entry) || isAppleDouble(entry.name)) continue; // CD110 explains AppleDouble files
      const key = `${entry.name.slice(0, -".cert".length)}.key`;
      if (ctx.entry(key)) continue;
      const docker = ctx.verdict("docker", entry.name)?.error;
      report({
        file: entry.name,
        message: `${entry.name} has no ${key} beside it. Docker pairs a .cert with the .key of the same name and, finding none, fails every pull, push and login for this registry. Add the private key as ${key}, or remove ${entry.name}.`,
        ...(docker ? { runtimeErrors: { docker } } : {}),
      });
    }
  },
});
