import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn, isCombined } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say, verb } from "../src/facts/wording.js";
import { rejectsNegativeSerial } from "../src/material/go-profile.js";
import { certificatesOf } from "../src/material/material.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { X509_NEGATIVE_SERIAL } from "../src/material/go-x509.js";

const NEGATIVE = X509_NEGATIVE_SERIAL;

export default defineRule({
  meta: {
    id: "CD409",
    name: "negative-serial",
    severity: "error",
    description:
      "A certificate with a negative serial number: refused by Go 1.23+ builds (Docker v29+, containerd v2.0.5+), " +
      "accepted by older ones",
    programText: {
      docker: NEGATIVE,
      containerd: `failed to load X509 key pair: ${NEGATIVE} | unable to load CA cert "<path>"`,
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const m = ctx.material(entry);
      const negative = m ? certificatesOf(m).filter((c) => c.parse.cert?.serialNegative) : [];
      if (!negative.length) continue;
      const lines = negative.map((c) => c.line).join(", ");
      const readers = checked(ctx).filter((r) => {
        const v = ctx.verdict(r, entry.name);
        return !!v && v.role !== "ignored" && v.role !== "undetermined";
      });
      if (!readers.length) continue;
      const rejecting = readers.filter((r) => rejectsNegativeSerial(ctx.go(r)));
      const accepting = readers.filter((r) => !rejecting.includes(r));
      const role = ctx.verdict(readers[0]!, entry.name)!.role;
      const later = accepting.length
        ? ` ${say(accepting, "accepts", "accept")} it today because ` +
          `${accepting.length === 1 ? "its" : "their"} Go build predates 1.23; ` +
          `the upgrade will break it.`
        : "";
      if (role === "ca") {
        const errors = errorsOn(ctx, [entry.name], ["no-certificate"]);
        const failing = rejecting.filter((r) => errors[r]);
        const nothing = rejecting.filter((r) => !errors[r] && (ctx.verdict(r, entry.name)?.certificates ?? 0) === 0);
        const partial = rejecting.filter((r) => !failing.includes(r) && !nothing.includes(r));
        const effects: string[] = [];
        if (failing.length)
          effects.push(
            `${say(failing, "refuses", "refuse")} the file and ${verb(failing, "fails", "fail")} every pull, ` +
              `push and login for this registry`,
          );
        if (nothing.length)
          effects.push(
            `${say(nothing, "drops", "drop")} it without a word and ` +
              `${verb(nothing, "checks", "check")} the registry against the system CAs only`,
          );
        if (partial.length) effects.push(`${say(partial, "drops", "drop")} that certificate without a word`);
        report({
          file: entry.name,
          severity: failing.length || nothing.length ? "error" : "warning",
          runtimes: readers,
          runtimeErrors: errors,
          messageId: "ca-negative-serial",
          headline: headline(
            `Negative serial number (certificate on line ${clip(lines, 20)}); Go 1.23 and later refuse to parse it`,
          ),
          why:
            `The certificate on line ${lines} of ${entry.name} has a negative serial number, ` +
            `which Go 1.23 and later refuse to parse (${NEGATIVE}).` +
            `${effects.length ? ` ${effects.join("; ").replace(/^./, (c) => c.toUpperCase())}.` : ""}${later}`,
          fix: { text: "Reissue the certificate with a positive serial number." },
        });
        continue;
      }
      if (role !== "client-certificate") continue;
      const errors = errorsOn(
        ctx,
        [entry.name],
        ["certificate-parse"],
        (v) => !isCombined(v) && (v.error ?? "").endsWith(NEGATIVE),
      );
      const failing = Object.keys(errors) as RuntimeId[];
      report({
        file: entry.name,
        severity: failing.length ? "error" : "warning",
        runtimes: readers,
        runtimeErrors: errors,
        messageId: "client-negative-serial",
        headline: "Client certificate with a negative serial number; Go 1.23 and later refuse to parse it",
        why:
          `The client certificate in ${entry.name} has a negative serial number, ` +
          `which Go 1.23 and later refuse to parse.` +
          `${failing.length ? ` ${say(failing, "fails", "fail")} every pull, push and login for this registry.` : ""}${later}`,
        fix: { text: "Reissue the certificate with a positive serial number." },
      });
    }
  },
});
