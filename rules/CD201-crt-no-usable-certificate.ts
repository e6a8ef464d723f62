import { defineRule, type FixAdvice } from "../src/engine/rule.js";
import { checked, errorsOn } from "../src/facts/verdicts.js";
import { capitalise, say, shellQuote, verb } from "../src/facts/wording.js";
import { entryClass, noCertificateCause } from "../src/facts/classification.js";
import { canAnchorServer, type FileMaterial } from "../src/material/material.js";

interface Advice {
  messageId: string;
  /** What the file is, for the headline. */
  what: string;
  fix?: FixAdvice;
}

/** A command that converts the file with `convert` into file.pem, then saves it in place. */
function inPlace(text: string, convert: (input: string, output: string) => string, file: string): FixAdvice {
  const f = shellQuote(file);
  const pem = shellQuote(`${file}.pem`);
  return { text, command: `${convert(f, pem)} && mv ${pem} ${f}` };
}

function advice(file: string, m: FileMaterial | undefined): Advice {
  const none = { messageId: "no-certificate", what: "No CA certificate Go can use in it" };
  if (!m) return none;
  const certTypes = m.blocks.map((b) => b.type);
  switch (m.format) {
    case "der-certificate":
      return {
        messageId: "der-certificate",
        what: "DER-encoded (binary); Go reads only PEM",
        fix: inPlace("Convert it to PEM:", (i, o) => `openssl x509 -inform der -in ${i} -out ${o}`, file),
      };
    case "utf16": {
      const f = shellQuote(file);
      const utf8 = shellQuote(`${file}.utf8`);
      return {
        messageId: "utf16",
        what: "UTF-16 text, in which Go finds no PEM block",
        fix: { text: "Re-save it as UTF-8:", command: `iconv -f UTF-16 -t UTF-8 ${f} > ${utf8} && mv ${utf8} ${f}` },
      };
    }
    case "empty":
      return {
        messageId: "empty",
        what: "Empty file: no CA certificate in it",
        fix: { text: "Put the CA certificate (PEM) in it, or delete it." },
      };
    case "pkcs7":
      return {
        messageId: "pkcs7",
        what: "A PKCS#7 bundle in DER; Go reads only PEM CERTIFICATE blocks",
        fix: inPlace(
          "Extract the certificates:",
          (i, o) => `openssl pkcs7 -inform der -print_certs -in ${i} -out ${o}`,
          file,
        ),
      };
    case "pkcs12":
      return {
        messageId: "pkcs12",
        what: "A PKCS#12 bundle; Go reads only PEM",
        fix: inPlace(
          "Extract the CA certificates:",
          (i, o) => `openssl pkcs12 -in ${i} -nokeys -cacerts -out ${o}`,
          file,
        ),
      };
    default:
      break;
  }
  if (m.bom)
    return {
      messageId: "bom",
      what: "A byte-order mark hides its certificate from Go",
      fix: { text: "Save it without the byte-order mark (UTF-8 without BOM)." },
    };
  if (m.hidden.some((h) => h.reason === "indented"))
    return {
      messageId: "indented",
      what: "Indented BEGIN line: Go does not see its certificate",
      fix: { text: "Remove the indentation in front of the BEGIN and END lines." },
    };
  if (certTypes.includes("PKCS7")) {
    return {
      messageId: "pkcs7-block",
      what: "A PKCS7 block, not CERTIFICATE blocks: no CA certificate Go can use",
      fix: inPlace("Extract the certificates:", (i, o) => `openssl pkcs7 -print_certs -in ${i} -out ${o}`, file),
    };
  }
  if (certTypes.includes("TRUSTED CERTIFICATE"))
    return {
      messageId: "trusted-certificate",
      what: "OpenSSL TRUSTED CERTIFICATE blocks, which Go does not take as certificates",
      fix: inPlace("Re-export it as a plain certificate:", (i, o) => `openssl x509 -in ${i} -out ${o}`, file),
    };
  if (m.certificates.some((c) => c.hasHeaders))
    return {
      messageId: "certificate-with-headers",
      what: "Its certificate carries PEM headers, which Go's CA loader does not take",
      fix: { text: "Delete the header lines between BEGIN CERTIFICATE and the base64 body." },
    };
  if (certTypes.length && certTypes.every((t) => t.endsWith("PRIVATE KEY")))
    return {
      messageId: "private-key",
      what: "A private key, not a certificate",
      fix: { text: "It holds a private key, not a certificate: delete it, and rotate the key if it matters." },
    };
  return { ...none, fix: { text: "Replace it with the registry's CA certificate in PEM." } };
}

export default defineRule({
  meta: {
    id: "CD201",
    name: "crt-no-usable-certificate",
    severity: "error",
    description:
      "A .crt from which Go takes no certificate (DER, empty, PKCS#7, BOM, " +
      "a key): ignored silently by Docker and podman, fatal for containerd",
    programText: {
      containerd: 'unable to load CA cert "<path>"',
      "docker-containerd": 'unable to load CA cert "<path>"',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (entryClass(ctx, entry).appleDouble) continue;
      // The runtimes that read it as a CA file and take nothing from it.
      const empty = checked(ctx).filter((r) => {
        const v = ctx.verdict(r, entry.name);
        return v?.role === "ca" && v.certificates === 0 && (v.error === null || v.cause === "no-certificate");
      });
      if (!empty.length) continue;
      const v = ctx.verdict(empty[0]!, entry.name)!;
      if (noCertificateCause(ctx.material(entry), v.skipped ?? [])) continue; // a defect with a rule of its own
      const errors = errorsOn(ctx, [entry.name], ["no-certificate"]);
      const failing = empty.filter((r) => errors[r]);
      const silent = empty.filter((r) => !errors[r]);
      // Another CA file that loads a certificate able to anchor the registry's (not, say, a client certificate).
      const otherCa = ctx.host.entries.some((e) => {
        if (e === entry) return false;
        const m = ctx.material(e);
        return (
          silent.some((r) => (ctx.verdict(r, e.name)?.certificates ?? 0) > 0) &&
          !!m &&
          m.certificates.some(canAnchorServer)
        );
      });
      const effects: string[] = [];
      if (failing.length)
        effects.push(
          `${say(failing, "refuses", "refuse")} it and ${verb(failing, "fails", "fail")} every pull, ` +
            `push and login for this registry`,
        );
      if (silent.length) {
        effects.push(
          otherCa
            ? `${say(silent, "skips", "skip")} it without a word (another CA file here does load)`
            : `${say(silent, "skips", "skip")} it without a word, ` +
                `so the registry's certificate is checked against the system CAs only and pulls fail with x509: ` +
                `certificate signed by unknown authority`,
        );
      }
      const a = advice(entry.name, ctx.material(entry));
      report({
        file: entry.name,
        severity: failing.length || !otherCa ? "error" : "warning",
        messageId: a.messageId,
        headline: a.what,
        why: `${entry.name} adds no CA certificate: ${v.detail}. ${capitalise(effects.join("; "))}.`,
        ...(a.fix ? { fix: a.fix } : {}),
        runtimeErrors: errors,
        runtimes: empty,
      });
    }
  },
});
