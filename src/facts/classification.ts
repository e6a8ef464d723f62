/**
 * What each entry of a host directory is, decided once per host so that rules consult it instead of each other's
 * predicates: the rule that explains an entry owns it, and the others leave it alone.
 */
import type { HostContext } from "../engine/rule.js";
import { keyInput, type PoolSkip } from "../material/go-tls.js";
import { certificatesForKey } from "./key-owners.js";
import { directoryHost, isServerCertificate } from "./anchors.js";
import { isRealCa } from "./issuers.js";
import { X509_NEGATIVE_SERIAL } from "../material/go-x509.js";
import { certificatesOf, type FileMaterial, isCaBlock } from "../material/material.js";
import { CA_EXT, CERT_EXT, goExt, isAppleDouble, KEY_EXT, keyNameOf } from "../scan/names.js";
import type { Entry } from "../scan/types.js";

export interface EntryClass {
  /** macOS AppleDouble metadata (`._ca.crt`): explained as such (CD110), never as certificate material. */
  appleDouble: boolean;
  /** A `.cert` without its `.key` that is really a CA: a misnamed CA file (CD103), not a missing key. */
  caSavedAsCert: boolean;
  /** A `.key` without its `.cert`: the `.crt` that holds its (non-CA) certificate, if any (CD104). */
  certificateInCrt: Entry | undefined;
}

/**
 * A `.cert` without its `.key` that is really a CA: it says CA:TRUE, or no private key exists anywhere in the
 * directory and it is not a client certificate either (its extended key usage is not clientAuth alone). Its cure
 * is a rename to `.crt`, not a missing key.
 */
function caSavedAsCert(ctx: HostContext, entry: Entry): boolean {
  if (goExt(entry.name) !== CERT_EXT || isAppleDouble(entry.name) || ctx.entry(keyNameOf(entry.name))) return false;
  const m = ctx.material(entry);
  const first = m && certificatesOf(m)[0];
  if (!first?.parse.cert) return false;
  if (isCaBlock(first)) return true;
  const eku = first.parse.cert.extKeyUsage;
  const clientOnly = eku.includes("clientAuth") && !eku.includes("serverAuth") && !eku.includes("any");
  const anyKey = [...ctx.hostMaterial.material.values()].some((fm) => fm.keys.length > 0);
  return !anyKey && !clientOnly;
}

/** The `.crt` entry holding the (non-CA) certificate that belongs to this `.key`, if there is one. */
function crtHoldingCertificateOf(ctx: HostContext, keyEntry: Entry): Entry | undefined {
  if (goExt(keyEntry.name) !== KEY_EXT) return undefined;
  const km = ctx.material(keyEntry);
  const ki = km && keyInput(km);
  if (!ki || "error" in ki || !ki.key.parse.key) return undefined;
  const key = ki.key.parse.key;
  // A PEM certificate (not a whole-file DER one: blockIndex -1) that is not a CA's.
  // A client certificate, not a CA in fact and not the registry's own certificate (its key copied in is CD310's).
  const host = directoryHost(ctx.host.name);
  return certificatesForKey(ctx, key).find(
    (o) =>
      goExt(o.entry.name) === CA_EXT &&
      o.block.blockIndex >= 0 &&
      !isRealCa(ctx, o.block) &&
      !isServerCertificate(ctx, o.block, host),
  )?.entry;
}

function classifyAll(ctx: HostContext): Map<Entry, EntryClass> {
  const out = new Map<Entry, EntryClass>();
  for (const e of ctx.host.entries) {
    out.set(e, {
      appleDouble: isAppleDouble(e.name),
      caSavedAsCert: caSavedAsCert(ctx, e),
      certificateInCrt: crtHoldingCertificateOf(ctx, e),
    });
  }
  return out;
}

export function entryClass(ctx: HostContext, entry: Entry): EntryClass {
  return (
    ctx.fact(classifyAll).get(entry) ?? {
      appleDouble: isAppleDouble(entry.name),
      caSavedAsCert: false,
      certificateInCrt: undefined,
    }
  );
}

/**
 * Why a CA file's certificates were all skipped, when a defect of its own explains it (and has a rule with the same
 * runtime texts): PEM framing Go cannot see (CD207–CD212), certificate blocks carrying headers (CD213), negative
 * serial numbers (CD409). Null when nothing more specific than "no usable certificate" (CD201) applies.
 */
export type SkipCause = "pem-framing" | "certificate-headers" | "negative-serial";

export function noCertificateCause(m: FileMaterial | undefined, skipped: readonly PoolSkip[]): SkipCause | null {
  if (m?.hidden.some((h) => h.type === "CERTIFICATE")) return "pem-framing";
  const certs = skipped.filter((s) => s.type === "CERTIFICATE");
  if (!certs.length || skipped.some((s) => s.type !== "CERTIFICATE" && !s.type.endsWith("PRIVATE KEY"))) return null;
  if (certs.every((s) => s.reason === "certificate-with-headers")) return "certificate-headers";
  if (certs.every((s) => s.reason === "unparseable" && s.error === X509_NEGATIVE_SERIAL)) return "negative-serial";
  return null;
}
