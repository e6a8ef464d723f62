import { defineRule } from "../src/engine/rule.js";
import { entryClass } from "../src/facts/classification.js";
import { CLASSIC, CONTAINERD_FAMILY, checked, errorsOn } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import { PAIRING_TEXTS } from "../src/facts/program-texts.js";
import { goExt } from "../src/scan/names.js";

export default defineRule({
  meta: {
    id: "CD104",
    name: "client-cert-saved-as-crt",
    severity: "error",
    description: "A client certificate saved as .crt (the CA extension) next to its .key",
    programText: PAIRING_TEXTS.missingCertificate,
  },
  check(ctx, report) {
    for (const keyEntry of ctx.host.entries) {
      if (goExt(keyEntry.name) !== ".key") continue;
      const base = keyEntry.name.slice(0, -".key".length);
      if (ctx.entry(`${base}.cert`)) continue;
      const crt = entryClass(ctx, keyEntry).certificateInCrt;
      if (!crt) continue;
      const classic = checked(ctx, CLASSIC);
      const ctrd = checked(ctx, CONTAINERD_FAMILY);
      const effects: string[] = [];
      if (classic.length)
        effects.push(`${say(classic, "then fails", "then fail")} on ${keyEntry.name}, which has no ${base}.cert`);
      if (ctrd.length)
        effects.push(
          `${say(ctrd, "ignores", "ignore")} the lone key and ${verb(ctrd, "sends", "send")} no client certificate, ` +
            `so a registry that requires one rejects the connection`,
        );
      const target = `${base}.cert`;
      report({
        file: crt.name,
        headline: `Client certificate for ${keyEntry.name} saved as .crt, the CA extension`,
        why:
          `${crt.name} is the certificate for ${keyEntry.name}, saved with .crt, ` +
          `the extension for CA files: it is added to the trusted CAs instead; ${effects.join("; ")}.`,
        fix: {
          text: `Rename ${crt.name} to ${target}:`,
          command: `mv ${shellQuote(crt.name)} ${shellQuote(target)}`,
        },
        runtimeErrors: errorsOn(ctx, [keyEntry.name], ["missing-partner"]),
        runtimes: [...classic, ...ctrd],
      });
    }
  },
});
