import { defineRule } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked, errorsOn, PAIRING_TEXTS, say, verb } from "../src/engine/runtime-facts.js";
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
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    programText: PAIRING_TEXTS.missingCertificate,
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (goExt(entry.name) !== ".key" || isAppleDouble(entry.name)) continue; // CD110 explains AppleDouble files
      const cert = `${entry.name.slice(0, -".key".length)}.cert`;
      if (ctx.entry(cert) || crtHoldingCertificateOf(ctx, entry)) continue; // CD104 explains the latter
      const classic = checked(ctx, CLASSIC);
      const ctrd = checked(ctx, CONTAINERD_FAMILY);
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
              ? ` It is the private key of the CA in ${e.name} ("${subjectOf(owner)}"), which does not belong here at all (CD309): delete it.`
              : ` It belongs to the certificate in ${e.name} ("${subjectOf(owner)}").`;
            break;
          }
        }
      }
      const effects: string[] = [];
      if (classic.length) effects.push(`${say(classic, "expects", "expect")} every .key to be half of a client pair and ${verb(classic, "fails", "fail")} every pull, push and login for this registry`);
      if (ctrd.length) effects.push(`${say(ctrd, "ignores", "ignore")} it`);
      report({
        file: entry.name,
        severity: classic.length ? "error" : "warning",
        message: `${entry.name} has no ${cert} beside it: ${effects.join("; ")}.${whose || ` Add the client certificate as ${cert}, or remove ${entry.name}.`}`,
        runtimeErrors: errorsOn(ctx, [entry.name], ["missing-partner"]),
        runtimes: [...classic, ...ctrd],
      });
    }
  },
});
