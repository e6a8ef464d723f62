import { defineRule } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked, errorsOn } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import { PAIRING_TEXTS } from "../src/facts/program-texts.js";
import { keyInput } from "../src/material/go-tls.js";
import { certificatesForKey } from "../src/facts/key-owners.js";
import { subjectOf } from "../src/material/material.js";
import { certNameOf, goExt, KEY_EXT } from "../src/scan/names.js";
import { entryClass } from "../src/facts/classification.js";
import { directoryHost, isServerCertificate } from "../src/facts/anchors.js";
import { isRealCa } from "../src/facts/issuers.js";

export default defineRule({
  meta: {
    id: "CD102",
    name: "key-without-cert",
    severity: "error",
    description: "A private key (.key) without the .cert of the same name",
    programText: PAIRING_TEXTS.missingCertificate,
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const cls = entryClass(ctx, entry);
      if (goExt(entry.name) !== KEY_EXT || cls.appleDouble) continue;
      const cert = certNameOf(entry.name);
      if (ctx.entry(cert) || cls.certificateInCrt) continue; // a client certificate saved as .crt
      const classic = checked(ctx, CLASSIC);
      const ctrd = checked(ctx, CONTAINERD_FAMILY);
      // Whose key is it? A CA's key copied along with its certificate is the classic case.
      let whose = "";
      let messageId = "lone-key";
      const km = ctx.material(entry);
      const ki = km && keyInput(km);
      const key = ki && !("error" in ki) ? ki.key.parse.key : null;
      if (key) {
        const owner = certificatesForKey(ctx, key)[0];
        if (owner && isServerCertificate(ctx, owner.block, directoryHost(ctx.host.name))) {
          messageId = "server-key";
          whose =
            ` It is the registry's own private key (its server certificate "${subjectOf(owner.block)}" is in ` +
            `${owner.entry.name}), copied to a client.`;
        } else if (owner) {
          messageId = isRealCa(ctx, owner.block) ? "ca-key" : "known-owner";
          whose = isRealCa(ctx, owner.block)
            ? ` It is the private key of the CA in ${owner.entry.name} ("${subjectOf(owner.block)}"), ` +
              `which does not belong here at all.`
            : ` It belongs to the certificate in ${owner.entry.name} ("${subjectOf(owner.block)}").`;
        }
      }
      const effects: string[] = [];
      if (classic.length)
        effects.push(
          `${say(classic, "expects", "expect")} every .key to be half of a client pair and ` +
            `${verb(classic, "fails", "fail")} every pull, ` +
            `push and login for this registry`,
        );
      if (ctrd.length) effects.push(`${say(ctrd, "ignores", "ignore")} it`);
      report({
        file: entry.name,
        severity: classic.length ? "error" : "warning",
        headline:
          messageId === "server-key"
            ? `The registry's own private key, with no ${cert} beside it`
            : messageId === "ca-key"
              ? `A CA's private key, with no ${cert} beside it`
              : `Private key without its certificate: no ${cert} beside it`,
        messageId,
        why: `${effects.join("; ")}.${whose}`,
        fix: {
          text:
            messageId === "server-key"
              ? "Delete it (CD310)."
              : messageId === "ca-key"
                ? "Delete it (CD309)."
                : `Add the client certificate as ${cert}, or remove ${entry.name}.`,
        },
        runtimeErrors: errorsOn(ctx, [entry.name], ["missing-partner"]),
        runtimes: [...classic, ...ctrd],
      });
    }
  },
});
