import { defineRule } from "../src/engine/rule.js";
import { entryClass } from "../src/facts/classification.js";
import { errorsOn } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import { PAIRING_TEXTS } from "../src/facts/program-texts.js";
import { certificatesOf, isCaBlock, subjectOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD103",
    name: "ca-saved-as-cert",
    severity: "error",
    description: "A CA certificate saved with the client-certificate extension .cert instead of .crt",
    programText: PAIRING_TEXTS.missingKey,
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (!entryClass(ctx, entry).caSavedAsCert) continue;
      const first = certificatesOf(ctx.material(entry)!)[0]!;
      const base = entry.name.slice(0, -".cert".length);
      const what = isCaBlock(first)
        ? `the CA certificate "${subjectOf(first)}"`
        : `a certificate ("${subjectOf(first)}") and there is no private key in this directory`;
      const errors = errorsOn(ctx, [entry.name]);
      const failing = Object.keys(errors) as RuntimeId[];
      const target = `${base}.crt`;
      report({
        file: entry.name,
        messageId: isCaBlock(first) ? "ca-certificate" : "certificate-without-key",
        headline: isCaBlock(first)
          ? "CA certificate saved as .cert, the client-certificate extension"
          : "Certificate saved as .cert with no private key in the directory",
        why:
          `${entry.name} holds ${what}, but .cert is the extension for client certificates: ` +
          `${failing.length ? `${say(failing, "takes", "take")} it for one, ${verb(failing, "looks", "look")} for its private key and ${verb(failing, "fails", "fail")}` : "it is never trusted as a CA"}.`,
        fix: ctx.entry(target)
          ? { text: `Rename it to ${target} (a ${target} is already there: merge the two).` }
          : { text: `Rename it to ${target}:`, command: `mv ${shellQuote(entry.name)} ${shellQuote(target)}` },
        runtimeErrors: errors,
      });
    }
  },
});
