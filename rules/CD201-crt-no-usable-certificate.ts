import { defineRule } from "../src/engine/rule.js";
import { canAnchorServer, type FileMaterial } from "../src/material/material.js";
import { isAppleDouble } from "../src/scan/names.js";

function fix(file: string, m: FileMaterial | undefined): string {
  if (!m) return "";
  const certTypes = m.blocks.map((b) => b.type);
  switch (m.format) {
    case "der-certificate":
      return ` Convert it to PEM: \`openssl x509 -inform der -in ${file} -out ${file}.pem && mv ${file}.pem ${file}\`.`;
    case "utf16":
      return ` Re-save it as UTF-8: \`iconv -f UTF-16 -t UTF-8 ${file}\`.`;
    case "empty":
      return " Put the CA certificate (PEM) in it, or delete it.";
    case "pkcs12":
      return ` Extract the CA certificates: \`openssl pkcs12 -in ${file} -nokeys -cacerts\`.`;
    default:
      break;
  }
  if (m.bom) return " Save it without the byte-order mark (UTF-8 without BOM).";
  if (m.hidden.some((h) => h.reason === "indented")) return " Remove the indentation in front of the BEGIN and END lines.";
  if (certTypes.includes("PKCS7")) return ` Extract the certificates: \`openssl pkcs7 -print_certs -in ${file}\`.`;
  if (certTypes.includes("TRUSTED CERTIFICATE")) return ` Re-export it as a plain certificate: \`openssl x509 -in ${file} -out ${file}\`.`;
  if (m.certificates.some((c) => c.hasHeaders)) return " Delete the header lines between BEGIN CERTIFICATE and the base64 body.";
  if (certTypes.length && certTypes.every((t) => t.endsWith("PRIVATE KEY"))) return " It holds a private key, not a certificate: delete it, and rotate the key if it matters.";
  return " Replace it with the registry's CA certificate in PEM.";
}

export default defineRule({
  meta: {
    id: "CD201",
    name: "crt-no-usable-certificate",
    severity: "error",
    description: "A .crt from which Go takes no certificate (DER, empty, PKCS#7, BOM, a key): Docker ignores it silently",
    runtimes: ["docker"],
  },
  check(ctx, report) {
    const docker = ctx.runtimes.docker;
    if (!docker) return;
    // Another CA file that loads a certificate able to anchor the registry's (not, say, a client certificate).
    const otherCa = ctx.host.entries.some((e) => {
      const v = docker.verdicts.get(e.name);
      const m = ctx.material(e);
      return v?.role === "ca" && (v.certificates ?? 0) > 0 && !!m && m.certificates.some(canAnchorServer);
    });
    for (const entry of ctx.host.entries) {
      const v = docker.verdicts.get(entry.name);
      if (v?.role !== "ca" || v.error !== null || v.certificates !== 0 || isAppleDouble(entry.name)) continue; // CD110
      report({
        file: entry.name,
        severity: otherCa ? "warning" : "error",
        message:
          `${entry.name} adds no CA certificate: ${v.detail}. Docker skips it without a word` +
          (otherCa ? "; another CA file here does load." : ", so the registry's certificate is checked against the system CAs only and pulls fail with x509: certificate signed by unknown authority.") +
          fix(entry.name, ctx.material(entry)),
      });
    }
  },
});
