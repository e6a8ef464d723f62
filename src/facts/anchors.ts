/**
 * Judging a trusted certificate against the others in the same directory: a defect in one CA matters less when
 * another CA here can still vouch for the registry. Used by the CD4xx rules to choose error or warning.
 */
import {
  allowsUsage,
  cannotSign,
  hostnameError,
  hostnameFailure,
  isSelfIssued,
  registryHost,
  validityError,
} from "../material/go-verify.js";
import { containerdHostOf } from "../runtimes/host-names.js";
import type { HostContext } from "../engine/rule.js";
import type { CertificateBlock } from "../material/material.js";
import type { TrustedCertificate } from "./certificates.js";
import { isRealCa } from "./issuers.js";

/** Whether `t` could anchor a registry's certificate chain today: may sign, in date, allows serverAuth, no unknown critical extension. */
export function usableAnchor(t: TrustedCertificate, now: Date): boolean {
  return (
    cannotSign(t.cert) === null &&
    validityError(t.cert, now) === null &&
    allowsUsage(t.cert, "serverAuth") &&
    t.cert.unhandledCriticalExtensions.length === 0
  );
}

/** Another trusted certificate in the directory that could anchor the registry instead of `t`. */
export function otherUsableAnchor(
  all: readonly TrustedCertificate[],
  t: TrustedCertificate,
  now: Date,
): TrustedCertificate | undefined {
  return all.find((o) => o.block.sha256 !== t.block.sha256 && usableAnchor(o, now));
}

/** Same subject and same key as `t`, in date: Go would take that one instead (a renewed twin). */
export function validTwin(
  all: readonly TrustedCertificate[],
  t: TrustedCertificate,
  now: Date,
): TrustedCertificate | undefined {
  return all.find(
    (o) =>
      o.block.sha256 !== t.block.sha256 &&
      Buffer.compare(Buffer.from(o.cert.rawSubject), Buffer.from(t.cert.rawSubject)) === 0 &&
      Buffer.compare(Buffer.from(o.cert.publicKey.spki), Buffer.from(t.cert.publicKey.spki)) === 0 &&
      usableAnchor(o, now),
  );
}

/**
 * A leaf pinned as a trust anchor (a server certificate saved as ca.crt) rather than a CA: it names hosts, or is
 * for serverAuth, or (made with `openssl req -x509 -subj /CN=<host>`) is self-issued with the registry's host as
 * its Common Name.
 */
export function looksPinned(t: TrustedCertificate, host: string): boolean {
  const c = t.cert;
  if (c.basicConstraintsValid && c.isCA) return false;
  if (c.dnsNames.length > 0 || c.ipAddresses.length > 0 || c.extKeyUsage.includes("serverAuth")) return true;
  return isSelfIssued(c) && hostnameFailure(c, host)?.kind === "legacy-common-name";
}

/** The registry host a directory stands for (host_port_ and [v6]:port understood). */
export function directoryHost(dirName: string): string {
  return registryHost(containerdHostOf(dirName));
}

/**
 * The registry's own certificate: not a CA in fact (see issuers.ts), usable for servers, with names that cover this
 * directory's registry. Its key, copied here, is the registry's key (CD310), and the certificate is no client's.
 */
export function isServerCertificate(ctx: HostContext, c: CertificateBlock, host: string): boolean {
  const cert = c.parse.cert;
  if (!cert || isRealCa(ctx, c)) return false;
  const eku = cert.extKeyUsage;
  const forServers = eku.length === 0 || eku.includes("serverAuth") || eku.includes("any");
  return forServers && (cert.dnsNames.length > 0 || cert.ipAddresses.length > 0) && hostnameError(cert, host) === null;
}
