import { defineRule } from "../src/engine/rule.js";
import { keyInput, keyMatch } from "../src/material/go-tls.js";
import { certificatesOf, isCaBlock, subjectOf } from "../src/material/material.js";
import { goExt } from "../src/runtimes/docker.js";
import { isAppleDouble } from "../src/scan/names.js";
import { crtHoldingCertificateOf } from "./CD104-client-cert-saved-as-crt.js";

export default defineRule({
  meta: {
    id: "CD102",
    name: "key-without-cert",
    severity: "error",
    description: "A private key (.key) without the .cert of the same name",
    runtimes: ["docker"],
    programText: { docker: "missing client certificate <c> for key <k>" },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (goExt(entry.name) !== ".key" || isAppleDouble(entry.name)) continue; // CD110 explains AppleDouble files
      const cert = `${entry.name.slice(0, -".key".length)}.cert`;
      if (ctx.entry(cert) || crtHoldingCertificateOf(ctx, entry)) continue; // CD104 explains the latter
      // Whose key is it? A CA's key copied along with its certificate is the classic case.
      let whose = "";
      const km = ctx.material(entry);
      const ki = km && keyInput(km);
      const key = ki && !("error" in ki) ? ki.key.parse.key : null;
      if (key) {
        for (const e of ctx.host.entries) {
          const m = ctx.material(e);
          const owner = m && certificatesOf(m).find((c) => c.parse.cert && keyMatch(key, c.parse.cert) === null);
          if (owner) {
            whose = isCaBlock(owner)
              ? ` It is the private key of the CA in ${e.name} ("${subjectOf(owner)}"): a CA's private key does not belong on clients; delete it.`
              : ` It belongs to the certificate in ${e.name} ("${subjectOf(owner)}").`;
            break;
          }
        }
      }
      const docker = ctx.verdict("docker", entry.name)?.error;
      report({
        file: entry.name,
        message: `${entry.name} has no ${cert} beside it: Docker expects every .key to be half of a client pair and fails every pull, push and login for this registry.${whose || ` Add the client certificate as ${cert}, or remove ${entry.name}.`}`,
        ...(docker ? { runtimeErrors: { docker } } : {}),
      });
    }
  },
});
