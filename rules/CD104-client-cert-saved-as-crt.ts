import { defineRule, type HostContext } from "../src/engine/rule.js";
import { keyInput, keyMatch } from "../src/material/go-tls.js";
import { isCaBlock } from "../src/material/material.js";
import { goExt } from "../src/runtimes/docker.js";
import type { Entry } from "../src/scan/types.js";

/** The `.crt` entry holding the (non-CA) certificate that belongs to this `.key`, if there is one. */
export function crtHoldingCertificateOf(ctx: HostContext, keyEntry: Entry): Entry | undefined {
  const km = ctx.material(keyEntry);
  const ki = km && keyInput(km);
  if (!ki || "error" in ki || !ki.key.parse.key) return undefined;
  const key = ki.key.parse.key;
  return ctx.host.entries.find((e) => {
    if (goExt(e.name) !== ".crt") return false;
    const m = ctx.material(e);
    return !!m?.certificates.some((c) => c.parse.cert && !isCaBlock(c) && keyMatch(key, c.parse.cert) === null);
  });
}

export default defineRule({
  meta: {
    id: "CD104",
    name: "client-cert-saved-as-crt",
    severity: "error",
    description: "A client certificate saved as .crt (the CA extension) next to its .key",
    runtimes: ["docker"],
    programText: { docker: "missing client certificate <c> for key <k>" },
  },
  check(ctx, report) {
    for (const keyEntry of ctx.host.entries) {
      if (goExt(keyEntry.name) !== ".key") continue;
      const base = keyEntry.name.slice(0, -".key".length);
      if (ctx.entry(`${base}.cert`)) continue;
      const crt = crtHoldingCertificateOf(ctx, keyEntry);
      if (!crt) continue;
      const docker = ctx.verdict("docker", keyEntry.name)?.error;
      report({
        file: crt.name,
        message: `${crt.name} is the certificate for ${keyEntry.name}, saved with .crt, the extension for CA files: Docker adds it to the trusted CAs, then fails on ${keyEntry.name} because there is no ${base}.cert. Rename ${crt.name} to ${base}.cert.`,
        ...(docker ? { runtimeErrors: { docker } } : {}),
      });
    }
  },
});
