/**
 * Which CA:TRUE certificates are CAs in fact. OpenSSL 3 marks every self-signed `req -x509` certificate CA:TRUE (its
 * v3_ca section), so the Docker docs' own recipe for a client pair (`openssl req -new -x509 -key client.key -out
 * client.cert`) and most guides' registry certificates say CA:TRUE without being anyone's issuer. A certificate is
 * treated as a real CA when it says so and also: was issued by another (not self-issued), or grants keyCertSign
 * explicitly, or issued another certificate in the directory.
 */
import type { HostContext } from "../engine/rule.js";
import { isSelfIssued } from "../material/go-verify.js";
import { type CertificateBlock, certificatesOf, isCaBlock } from "../material/material.js";

/** Go's KeyUsage bit for keyCertSign (1 << 5). */
const KEY_CERT_SIGN = 1 << 5;

/** The subjects (hex) that some certificate of the directory names as its issuer, besides itself. */
function issuerNames(ctx: HostContext): Set<string> {
  const out = new Set<string>();
  for (const e of ctx.host.entries) {
    const m = ctx.material(e);
    for (const b of m ? certificatesOf(m) : []) {
      const c = b.parse.cert;
      if (c && !isSelfIssued(c)) out.add(Buffer.from(c.rawIssuer).toString("hex"));
    }
  }
  return out;
}

export function isRealCa(ctx: HostContext, block: CertificateBlock): boolean {
  if (!isCaBlock(block)) return false;
  const c = block.parse.cert!;
  if (!isSelfIssued(c)) return true;
  if (c.hasKeyUsage && (c.keyUsage & KEY_CERT_SIGN) !== 0) return true;
  return ctx.fact(issuerNames).has(Buffer.from(c.rawSubject).toString("hex"));
}

/** A self-signed certificate that says CA:TRUE but is nobody's issuer here (see above). */
export function isSelfSignedLeaf(ctx: HostContext, block: CertificateBlock): boolean {
  return isCaBlock(block) && !isRealCa(ctx, block);
}
