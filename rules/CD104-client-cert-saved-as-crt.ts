import { defineRule, type HostContext } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked, errorsOn, PAIRING_TEXTS, say, verb } from "../src/engine/runtime-facts.js";
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
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    programText: PAIRING_TEXTS.missingCertificate,
  },
  check(ctx, report) {
    for (const keyEntry of ctx.host.entries) {
      if (goExt(keyEntry.name) !== ".key") continue;
      const base = keyEntry.name.slice(0, -".key".length);
      if (ctx.entry(`${base}.cert`)) continue;
      const crt = crtHoldingCertificateOf(ctx, keyEntry);
      if (!crt) continue;
      const classic = checked(ctx, CLASSIC);
      const ctrd = checked(ctx, CONTAINERD_FAMILY);
      const effects: string[] = [];
      if (classic.length) effects.push(`${say(classic, "then fails", "then fail")} on ${keyEntry.name}, which has no ${base}.cert`);
      if (ctrd.length) effects.push(`${say(ctrd, "ignores", "ignore")} the lone key and ${verb(ctrd, "sends", "send")} no client certificate, so a registry that requires one rejects the connection`);
      report({
        file: crt.name,
        message: `${crt.name} is the certificate for ${keyEntry.name}, saved with .crt, the extension for CA files: it is added to the trusted CAs instead; ${effects.join("; ")}. Rename ${crt.name} to ${base}.cert.`,
        runtimeErrors: errorsOn(ctx, [keyEntry.name], ["missing-partner"]),
        runtimes: [...classic, ...ctrd],
      });
    }
  },
});
