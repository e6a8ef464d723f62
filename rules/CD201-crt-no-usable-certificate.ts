import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn } from "../src/facts/verdicts.js";
import { capitalise, say, verb } from "../src/facts/wording.js";
import { entryClass, noCertificateCause } from "../src/facts/classification.js";
import { canAnchorServer, type FileMaterial } from "../src/material/material.js";

function fix(file: string, m: FileMaterial | undefined): string {
  if (!m) return "";
  const certTypes = m.blocks.map((b) => b.type);
  switch (m.format) {
    case "der-certificate":
      return ` Convert it to PEM: \`openssl x509 -inform der -in ${file} -out ${file}.pem && mv ${file}.pem ${file}\`.`;
    case "utf16":
      return ` Re-save it as UTF-8: \`iconv -f UTF-16 -t UTF-8 ${file} > ${file}.utf8 && mv ${file}.utf8 ${file}\`.`;
    case "empty":
      return " Put the CA certificate (PEM) in it, or delete it.";
    case "pkcs7":
      return (
        ` Extract the certificates: ` +
        `\`openssl pkcs7 -inform der -print_certs -in ${file} -out ${file}.pem && mv ${file}.pem ${file}\`.`
      );
    case "pkcs12":
      return ` Extract the CA certificates: \`openssl pkcs12 -in ${file} -nokeys -cacerts -out ${file}.pem && mv ${file}.pem ${file}\`.`;
    default:
      break;
  }
  if (m.bom) return " Save it without the byte-order mark (UTF-8 without BOM).";
  if (m.hidden.some((h) => h.reason === "indented"))
    return " Remove the indentation in front of the BEGIN and END lines.";
  if (certTypes.includes("PKCS7")) {
    return ` Extract the certificates: \`openssl pkcs7 -print_certs -in ${file} -out ${file}.pem && mv ${file}.pem ${file}\`.`;
  }
  if (certTypes.includes("TRUSTED CERTIFICATE"))
    return ` Re-export it as a plain certificate: \`openssl x509 -in ${file} -out ${file}.pem && mv ${file}.pem ${file}\`.`;
  if (m.certificates.some((c) => c.hasHeaders))
    return " Delete the header lines between BEGIN CERTIFICATE and the base64 body.";
  if (certTypes.length && certTypes.every((t) => t.endsWith("PRIVATE KEY")))
    return " It holds a private key, not a certificate: delete it, and rotate the key if it matters.";
  return " Replace it with the registry's CA certificate in PEM.";
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
      report({
        file: entry.name,
        severity: failing.length || !otherCa ? "error" : "warning",
        message:
          `${entry.name} adds no CA certificate: ${v.detail}. ` +
          `${capitalise(effects.join("; "))}.${fix(entry.name, ctx.material(entry))}`,
        runtimeErrors: errors,
        runtimes: empty,
      });
    }
  },
});
