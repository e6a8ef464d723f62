/**
 * The certificates that reach a TLS handshake, as the runtime models decide: the ones a CA pool takes from each
 * CA file, and the client chains of the pairs that load. X.509-content rules (CD4xx) judge only these, so a file
 * that no runtime reads, or a pair that fails to load (already an error of its own), is not judged twice.
 */
import { goAcceptedCertificate, type GoCertificate } from "../material/go-x509.js";
import { certificatesOf, type CertificateBlock } from "../material/material.js";
import type { RuntimeId } from "../runtimes/types.js";
import type { Entry } from "../scan/types.js";
import type { HostContext } from "../engine/rule.js";
import { checked } from "./verdicts.js";

export interface TrustedCertificate {
  entry: Entry;
  block: CertificateBlock;
  cert: GoCertificate;
  /** 1-based position among the file's certificate blocks, for messages ("certificate 2 in ca.crt"). */
  position: number;
  /** The runtimes whose CA pool takes it. */
  runtimes: RuntimeId[];
}

/** Every certificate a runtime's pool takes from a CA file of this host directory (headers and unparseable skipped). */
function computeTrustedCertificates(ctx: HostContext): TrustedCertificate[] {
  const out: TrustedCertificate[] = [];
  for (const entry of ctx.host.entries) {
    const readers = checked(ctx).filter((r) => {
      const v = ctx.verdict(r, entry.name);
      return v?.role === "ca" && (v.certificates ?? 0) > 0 && (ctx.runtimes[r]?.caFiles.includes(entry.name) ?? false);
    });
    if (!readers.length) continue;
    const m = ctx.material(entry);
    if (!m) continue;
    m.certificates.forEach((block, i) => {
      if (block.hasHeaders) return;
      const runtimes = readers.filter((r) => goAcceptedCertificate(block.parse, ctx.go(r)) !== null);
      if (runtimes.length && block.parse.cert)
        out.push({ entry, block, cert: block.parse.cert, position: i + 1, runtimes });
    });
  }
  return out;
}

export interface ClientChain {
  certFile: string;
  keyFile: string;
  entry: Entry;
  /** The leaf (the first CERTIFICATE block) and what follows it, as tls.X509KeyPair keeps them. */
  leaf: CertificateBlock;
  chain: CertificateBlock[];
  /** The runtimes that load this pair. */
  runtimes: RuntimeId[];
}

/** The client pairs that load, per runtime, merged: one entry per (certificate file, key file). */
function computeLoadedClientChains(ctx: HostContext): ClientChain[] {
  const byPair = new Map<string, ClientChain>();
  for (const r of checked(ctx)) {
    const o = ctx.runtimes[r]!;
    if (o.status === "not-read") continue;
    for (const [certFile, keyFile] of o.clientPairs) {
      const key = `${certFile}\0${keyFile}`;
      const existing = byPair.get(key);
      if (existing) {
        existing.runtimes.push(r);
        continue;
      }
      const entry = ctx.entry(certFile);
      const m = entry && ctx.material(entry);
      const certs = m ? certificatesOf(m) : [];
      if (!entry || !certs[0]) continue;
      byPair.set(key, { certFile, keyFile, entry, leaf: certs[0], chain: certs.slice(1), runtimes: [r] });
    }
  }
  return [...byPair.values()];
}

/** trustedCertificates, computed once per host (and runtime scope) however many rules ask. */
export function trustedCertificates(ctx: HostContext): readonly TrustedCertificate[] {
  return ctx.fact(computeTrustedCertificates);
}

/** loadedClientChains, computed once per host (and runtime scope) however many rules ask. */
export function loadedClientChains(ctx: HostContext): readonly ClientChain[] {
  return ctx.fact(computeLoadedClientChains);
}
