import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import type { FixAdvice } from "../src/engine/rule.js";
import type { PoolSkip } from "../src/material/go-tls.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { X509_NEGATIVE_SERIAL } from "../src/material/go-x509.js";

/** Skips other rules own: keys (CD206), headers (CD213), negative serials (CD409), repeats (CD410). */
function ownSkip(s: PoolSkip): boolean {
  if (s.type.endsWith("PRIVATE KEY")) return false;
  if (s.reason === "certificate-with-headers" || s.reason === "duplicate") return false;
  if (s.reason === "unparseable" && s.error === X509_NEGATIVE_SERIAL) return false;
  return true;
}

function describe(s: PoolSkip): string {
  if (s.reason === "unparseable") return `the CERTIFICATE block on line ${s.line} (Go cannot parse it: ${s.error})`;
  return `the ${s.type} block on line ${s.line} (not of type CERTIFICATE)`;
}

/** The file's other blocks kept, its PKCS#7 block replaced by the certificates it holds, saved in place. */
function pkcs7Unpack(name: string): string {
  const f = shellQuote(name);
  return (
    `openssl pkcs7 -print_certs -in ${f} -out ${shellQuote(`${name}.p7.pem`)} && ` +
    `sed '/-----BEGIN PKCS7-----/,/-----END PKCS7-----/d' ${f} | cat - ${shellQuote(`${name}.p7.pem`)} > ${shellQuote(`${name}.new`)} && ` +
    `mv ${shellQuote(`${name}.new`)} ${f} && rm ${shellQuote(`${name}.p7.pem`)}`
  );
}

export default defineRule({
  meta: {
    id: "CD205",
    name: "crt-partly-usable",
    severity: "warning",
    description:
      "A .crt from which Go takes some certificates and silently skips other blocks (other types, " +
      "unparseable certificates)",
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const rt: RuntimeId[] = [];
      let skips: PoolSkip[] = [];
      let taken = 0;
      for (const r of checked(ctx)) {
        const v = ctx.verdict(r, entry.name);
        if (v?.role !== "ca" || (v.certificates ?? 0) === 0) continue;
        const own = (v.skipped ?? []).filter(ownSkip);
        if (!own.length) continue;
        rt.push(r);
        if (own.length > skips.length) {
          skips = own;
          taken = v.certificates ?? 0;
        }
      }
      if (!rt.length) continue;
      const fix: FixAdvice = skips.some((s) => s.type === "PKCS7")
        ? { text: "Replace the PKCS#7 block by the certificates in it:", command: pkcs7Unpack(entry.name) }
        : skips.some((s) => s.type === "TRUSTED CERTIFICATE")
          ? {
              text: "Re-export each TRUSTED CERTIFICATE block as a plain certificate (openssl x509 reads one and writes it as CERTIFICATE).",
            }
          : { text: "Remove or replace the blocks that cannot be used." };
      const blocks = skips.length === 1 ? "one block" : `${skips.length} blocks`;
      report({
        file: entry.name,
        runtimes: rt,
        headline: `Some blocks skipped without a word: ${taken} certificate${taken === 1 ? "" : "s"} taken, ${blocks} skipped`,
        why:
          `${say(rt, "takes", "take")} ${taken} certificate${taken === 1 ? "" : "s"} from ${entry.name} and ${verb(rt, "skips", "skip")} ${blocks} without a word: ` +
          `${skips.map(describe).join("; ")}. ` +
          `If a CA the registry needs is in ${skips.length === 1 ? "it" : "them"}, ` +
          `pulls fail with x509: certificate signed by unknown authority.`,
        fix,
      });
    }
  },
});
