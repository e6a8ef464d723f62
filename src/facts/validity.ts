/** Shared by CD401–CD403: every certificate that reaches a handshake, with the date Go will hold against it. */
import { validityError } from "../material/go-verify.js";
import type { CertificateBlock } from "../material/material.js";
import { subjectOf } from "../material/material.js";
import type { RuntimeId } from "../runtimes/types.js";
import { loadedClientChains, trustedCertificates } from "./certificates.js";
import type { HostContext } from "../engine/rule.js";

export interface DatedCertificate {
  file: string;
  block: CertificateBlock;
  role: "ca" | "client";
  runtimes: RuntimeId[];
  /** "ca.crt" or "certificate 2 in ca.crt". */
  where: string;
  /** The certificate as a headline names it beside its file: "CA", "CA certificate 2", "Client certificate". */
  label: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** Go's isValid text at `now`, or null. */
  goError: string | null;
}

function computeDatedCertificates(ctx: HostContext): DatedCertificate[] {
  const out: DatedCertificate[] = [];
  for (const t of trustedCertificates(ctx)) {
    const count = ctx.material(t.entry)?.certificates.length ?? 1;
    out.push({
      file: t.entry.name,
      block: t.block,
      role: "ca",
      runtimes: t.runtimes,
      where: count > 1 ? `certificate ${t.position} in ${t.entry.name}` : t.entry.name,
      label: count > 1 ? `CA certificate ${t.position}` : "CA",
      subject: subjectOf(t.block),
      notBefore: t.cert.notBefore,
      notAfter: t.cert.notAfter,
      goError: validityError(t.cert, ctx.now),
    });
  }
  for (const pair of loadedClientChains(ctx)) {
    [pair.leaf, ...pair.chain].forEach((block, i) => {
      const cert = block.parse.cert;
      if (!cert) return;
      out.push({
        file: pair.certFile,
        block,
        role: "client",
        runtimes: pair.runtimes,
        where: i === 0 ? `the client certificate in ${pair.certFile}` : `certificate ${i + 1} in ${pair.certFile}`,
        label: i === 0 ? "Client certificate" : `Certificate ${i + 1} of the client chain`,
        subject: subjectOf(block),
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
        goError: validityError(cert, ctx.now),
      });
    });
  }
  return out;
}

export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** datedCertificates, computed once per host (and runtime scope) however many rules ask. */
export function datedCertificates(ctx: HostContext): readonly DatedCertificate[] {
  return ctx.fact(computeDatedCertificates);
}
