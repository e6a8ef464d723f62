import { defineRule, type HostContext } from "../src/engine/rule.js";
import { errorsOn, PAIRING_TEXTS, say, verb } from "../src/engine/runtime-facts.js";
import { certificatesOf, isCaBlock, subjectOf } from "../src/material/material.js";
import { goExt } from "../src/runtimes/docker.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { isAppleDouble } from "../src/scan/names.js";
import type { Entry } from "../src/scan/types.js";

/**
 * A `.cert` without its `.key` that is really a CA: it says CA:TRUE, or no private key exists anywhere in the
 * directory and it is not a client certificate either (its extended key usage is not clientAuth alone). Its cure
 * is a rename to `.crt`, not a missing key.
 */
export function isCaSavedAsCert(ctx: HostContext, entry: Entry): boolean {
  if (goExt(entry.name) !== ".cert" || isAppleDouble(entry.name) || ctx.entry(`${entry.name.slice(0, -5)}.key`)) return false;
  const m = ctx.material(entry);
  const first = m && certificatesOf(m)[0];
  if (!first?.parse.cert) return false;
  if (isCaBlock(first)) return true;
  const eku = first.parse.cert.extKeyUsage;
  const clientOnly = eku.includes("clientAuth") && !eku.includes("serverAuth") && !eku.includes("any");
  const anyKey = [...ctx.hostMaterial.material.values()].some((fm) => fm.keys.length > 0);
  return !anyKey && !clientOnly;
}

export default defineRule({
  meta: {
    id: "CD103",
    name: "ca-saved-as-cert",
    severity: "error",
    description: "A CA certificate saved with the client-certificate extension .cert instead of .crt",
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
    programText: PAIRING_TEXTS.missingKey,
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (!isCaSavedAsCert(ctx, entry)) continue;
      const first = certificatesOf(ctx.material(entry)!)[0]!;
      const base = entry.name.slice(0, -".cert".length);
      const what = isCaBlock(first) ? `the CA certificate "${subjectOf(first)}"` : `a certificate ("${subjectOf(first)}") and there is no private key in this directory`;
      const errors = errorsOn(ctx, [entry.name]);
      const failing = Object.keys(errors) as RuntimeId[];
      report({
        file: entry.name,
        message: `${entry.name} holds ${what}, but .cert is the extension for client certificates: ${failing.length ? `${say(failing, "takes", "take")} it for one, ${verb(failing, "looks", "look")} for its private key and ${verb(failing, "fails", "fail")}` : "it is never trusted as a CA"}. Rename it to ${base}.crt.`,
        runtimeErrors: errors,
      });
    }
  },
});
