/** Plain-words explanations of what Go saw in a file, for findings and the `ignored` list. */
import { goStringList } from "./go-format.js";
import type { PoolResult } from "./go-tls.js";
import type { FileMaterial } from "./material.js";
import type { HiddenBlock } from "./pem.js";

const HIDDEN: Record<HiddenBlock["reason"], string> = {
  bom: "a UTF-8 byte-order mark before its BEGIN line hides it",
  indented: "its BEGIN line is indented",
  "no-end": "it has no matching END line",
  "end-mismatch": "its END line names another type",
  "bad-base64": "its body is not valid base64",
  "malformed-begin": "text precedes its BEGIN line on the same line",
  "trailing-text": "text follows its END line on the same line",
};

export function describeHidden(h: HiddenBlock): string {
  return `the ${h.type} block on line ${h.line} is invisible to Go: ${HIDDEN[h.reason]}`;
}

/** Why AppendCertsFromPEM took nothing from a file (only meaningful when pool.added is empty). */
export function explainNoCertificate(m: FileMaterial, pool: PoolResult): string {
  const hiddenCert = m.hidden.find((h) => h.type === "CERTIFICATE");
  switch (m.format) {
    case "empty":
      return "the file is empty";
    case "der-certificate":
      return "the certificate is DER-encoded (binary); Go reads only PEM";
    case "pkcs12":
      return "the file is a PKCS#12 bundle; Go reads only PEM";
    case "pkcs7":
      return "the file is a PKCS#7 bundle in DER; Go reads only PEM CERTIFICATE blocks";
    case "der-other":
      return "the file is binary DER, not PEM";
    case "utf16":
      return "the file is UTF-16 text, in which Go finds no PEM block";
    case "binary":
      return "the file holds binary data, not PEM";
    case "text":
      return hiddenCert
        ? describeHidden(hiddenCert)
        : m.hidden[0]
          ? describeHidden(m.hidden[0])
          : "the file holds no PEM block";
    case "pem":
      break;
  }
  const reasons: string[] = [];
  const types = pool.skipped.filter((s) => s.reason === "not-a-certificate-block").map((s) => s.type);
  if (types.length) reasons.push(`it holds only blocks of other types ${goStringList(types)}`);
  const headers = pool.skipped.filter((s) => s.reason === "certificate-with-headers");
  if (headers.length) reasons.push(`its CERTIFICATE block${headers.length > 1 ? "s carry" : " carries"} PEM headers`);
  for (const s of pool.skipped.filter((x) => x.reason === "unparseable"))
    reasons.push(`Go cannot parse the certificate on line ${s.line}: ${s.error}`);
  if (hiddenCert) reasons.push(describeHidden(hiddenCert));
  return reasons.join("; ") || "it holds no certificate Go can load";
}
