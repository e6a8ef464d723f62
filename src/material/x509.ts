/**
 * The only door to @peculiar/x509: it needs reflect-metadata loaded first and a WebCrypto provider.
 * Importing it costs ~100-145 ms, so only the lint path loads this module (never --help or --version).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

export interface CertificateDescription {
  subject: string;
  issuer: string;
  /** The certificate's own subject and issuer are the same name. */
  selfIssued: boolean;
}

/** Subject and issuer as RFC 4514 strings, or null when @peculiar/x509 cannot read what Go accepted. */
export function describeCertificate(der: Uint8Array): CertificateDescription | null {
  try {
    const cert = new x509.X509Certificate(Buffer.from(der));
    return { subject: cert.subject, issuer: cert.issuer, selfIssued: cert.subject === cert.issuer };
  } catch {
    return null;
  }
}
