/**
 * The only door to @peculiar/x509: it needs reflect-metadata loaded first and a WebCrypto provider. Loading it costs
 * ~100-145 ms, so it is loaded on first use, not on import: importing the rules (for `rules`, `explain`, `--help`)
 * never pays for it. Its CommonJS build is used, through createRequire, so that first use can stay synchronous.
 */
import { webcrypto } from "node:crypto";
import { createRequire } from "node:module";
// Types only: the library itself is loaded on first use (it costs ~100 ms).
import type * as X509 from "@peculiar/x509";

type X509Lib = typeof X509;

let lib: X509Lib | null = null;

export function x509Lib(): X509Lib {
  if (!lib) {
    const require = createRequire(import.meta.url);
    require("reflect-metadata");
    const loaded = require("@peculiar/x509") as X509Lib;
    loaded.cryptoProvider.set(webcrypto as unknown as Parameters<X509Lib["cryptoProvider"]["set"]>[0]);
    lib = loaded;
  }
  return lib;
}

export interface CertificateDescription {
  subject: string;
  issuer: string;
  /** The certificate's own subject and issuer are the same name. */
  selfIssued: boolean;
}

/** Subject and issuer as RFC 4514 strings, or null when @peculiar/x509 cannot read what Go accepted. */
export function describeCertificate(der: Uint8Array): CertificateDescription | null {
  try {
    const cert = new (x509Lib().X509Certificate)(Buffer.from(der));
    return { subject: cert.subject, issuer: cert.issuer, selfIssued: cert.subject === cert.issuer };
  } catch {
    return null;
  }
}
