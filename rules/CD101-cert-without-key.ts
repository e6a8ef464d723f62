import { defineRule } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked, errorsOn } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import { PAIRING_TEXTS } from "../src/facts/program-texts.js";
import { CERT_EXT, goExt, keyNameOf } from "../src/scan/names.js";
import { entryClass } from "../src/facts/classification.js";

export default defineRule({
  meta: {
    id: "CD101",
    name: "cert-without-key",
    severity: "error",
    description: "A client certificate (.cert) without the .key of the same name",
    programText: PAIRING_TEXTS.missingKey,
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const cls = entryClass(ctx, entry);
      if (goExt(entry.name) !== CERT_EXT || cls.caSavedAsCert || cls.appleDouble) continue;
      const key = keyNameOf(entry.name);
      if (ctx.entry(key)) continue;
      const errors = errorsOn(ctx, [entry.name]);
      const classic = checked(ctx, CLASSIC);
      const ctrdFail = checked(ctx, CONTAINERD_FAMILY).filter((r) => errors[r]);
      const ctrdOk = checked(ctx, CONTAINERD_FAMILY).filter(
        (r) => !errors[r] && ctx.verdict(r, entry.name)?.role === "client-certificate",
      );
      if (!classic.length && !ctrdFail.length) continue; // containerd reads the key from the .cert, and nobody else looks
      const parts: string[] = [];
      if (classic.length)
        parts.push(
          `${say(classic, "pairs", "pair")} a .cert with the .key of the same name and, finding none, ` +
            `${verb(classic, "fails", "fail")} every pull, push and login for this registry.`,
        );
      if (ctrdFail.length)
        parts.push(
          `${say(ctrdFail, "looks", "look")} for the key inside ${entry.name} instead, ` +
            `and ${verb(ctrdFail, "fails", "fail")}.`,
        );
      if (ctrdOk.length) parts.push(`${say(ctrdOk, "takes", "take")} the key from ${entry.name} itself.`);
      report({
        file: entry.name,
        headline: `Client certificate without its key: no ${key} beside it`,
        why: parts.join(" "),
        fix: { text: `Add the private key as ${key}, or remove ${entry.name}.` },
        runtimeErrors: errors,
        runtimes: [...classic, ...ctrdFail],
      });
    }
  },
});
