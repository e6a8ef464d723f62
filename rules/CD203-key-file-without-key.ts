import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD203",
    name: "key-file-without-key",
    severity: "error",
    description: 'A client key file in which Go finds no block of type "PRIVATE KEY" or "... PRIVATE KEY"',
    programText: {
      docker:
        "tls: failed to find any PEM data in key input | " +
        "tls: found a certificate rather than a key in the PEM for the private key | " +
        'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ' +
        "[<types>]",
      containerd: "failed to load X509 key pair: tls: failed to find any PEM data in key input",
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      // The key file is the .cert's partner; a .cert that is its own key (containerd, no .key) is CD101's.
      const partner = checked(ctx)
        .map((r) => ctx.verdict(r, entry.name))
        .find((v) => v?.cause === "key-input" && v.partner && v.partner !== entry.name)?.partner;
      if (!partner) continue;
      const errors = errorsOn(ctx, [entry.name], ["key-input"]);
      const failing = Object.keys(errors) as RuntimeId[];
      const keyEntry = ctx.entry(partner);
      const m = keyEntry && ctx.material(keyEntry);
      // A key block Go cannot see for its framing: CD207–CD212 say so, with the same texts.
      if (m?.hidden.some((h) => h.type.endsWith("PRIVATE KEY")) && !m.keys.length) continue;
      let why = "it holds no PEM private key";
      let messageId = "no-key";
      let headline = "No PEM private key Go can find";
      if (!m || m.format === "empty") {
        why = "it is empty";
        messageId = "empty";
        headline = "Empty: no private key";
      } else if (m.blocks.length && m.blocks.every((b) => b.type === "CERTIFICATE")) {
        const what = m.blocks.length === 1 ? "a certificate" : `${m.blocks.length} certificates`;
        why = `it holds ${what} instead of the private key`;
        messageId = "certificate";
        headline =
          m.blocks.length === 1
            ? "A certificate instead of the private key"
            : `Holds ${what} instead of the private key`;
      } else if (m.blocks.length) {
        why = `it holds only ${m.blocks.map((b) => b.type).join(", ")} blocks`;
        messageId = "other-blocks";
        headline = `Only ${m.blocks.map((b) => b.type).join(", ")} blocks, no private key`;
      } else if (m.format === "der-other") {
        why = "it is binary DER; Go reads keys only as PEM";
        messageId = "der";
        headline = "Binary DER; Go reads keys only as PEM";
      } else if (
        m.format === "text" &&
        keyEntry.content.status === "read" &&
        /^pkcs11:/m.test(keyEntry.content.data.toString("latin1"))
      ) {
        why = "it holds a PKCS#11 URI, which no Go loader supports";
        messageId = "pkcs11-uri";
        headline = "A PKCS#11 URI, which no Go loader supports, instead of a private key";
      }
      report({
        file: partner,
        messageId,
        headline,
        why:
          `${partner} has no private key Go can find: ${why}. ` +
          `${say(failing, "fails", "fail")} every pull, push and login for this registry.`,
        runtimeErrors: errors,
      });
    }
  },
});
