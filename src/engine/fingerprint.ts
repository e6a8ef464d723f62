/**
 * Finding fingerprints: sha256 over the rule, the host directory's name, the file's name and a digest of what the
 * rule judged. The digest never covers private key bytes: files that hold (or may hold) a private key are digested
 * through their certificates and the public halves of their keys, and a key Go cannot parse by its kind alone.
 */
import { createHash } from "node:crypto";
import type { FileMaterial } from "../material/material.js";
import type { Entry, HostDir } from "../scan/types.js";

function sha256(...parts: Array<string | Uint8Array>): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(typeof p === "string" ? Buffer.from(p) : p);
    h.update("\0");
  }
  return h.digest("hex");
}

/** Whether the bytes may hold a private key: then only public material goes into the digest. */
function maySecret(entry: Entry, m: FileMaterial | undefined, data: Buffer): boolean {
  if (/\.key$/i.test(entry.name)) return true;
  if (m && (m.keys.length > 0 || m.hidden.some((h) => h.type.includes("PRIVATE KEY")))) return true;
  if (m && (m.format === "der-other" || m.format === "binary" || m.format === "pkcs12")) return true;
  return data.includes("PRIVATE KEY") || data.includes("OPENSSH");
}

/** Digests by entry: a file's digest is the same for every finding about it (a bundle can have hundreds). */
const digests = new WeakMap<Entry, string>();

export function contentDigest(entry: Entry | undefined, m: FileMaterial | undefined): string {
  if (!entry) return "absent";
  const known = digests.get(entry);
  if (known !== undefined) return known;
  const d = computeDigest(entry, m);
  digests.set(entry, d);
  return d;
}

function computeDigest(entry: Entry, m: FileMaterial | undefined): string {
  if (entry.content.status !== "read") return `${entry.kind}:${entry.content.status}:${entry.linkTarget ?? ""}`;
  const data = entry.content.data;
  if (!maySecret(entry, m, data)) return sha256("bytes", data);
  const parts: Array<string | Uint8Array> = ["public", m?.format ?? "unknown"];
  for (const c of m?.certificates ?? []) parts.push(c.der);
  for (const k of m?.keys ?? []) {
    const key = k.parse.key;
    parts.push(key ? `${key.algorithm}:${key.curve ?? ""}` : `unparsed:${k.type}:${k.parse.kind}`);
    for (const v of [key?.rsaModulus, key?.x, key?.y, key?.raw]) if (v) parts.push(v);
  }
  for (const h of m?.hidden ?? []) parts.push(`hidden:${h.type}:${h.reason}`);
  parts.push(`size:${data.length}`);
  return sha256(...parts);
}

export function fingerprint(
  ruleId: string,
  host: HostDir,
  file: string | null,
  entry: Entry | undefined,
  m: FileMaterial | undefined,
): string {
  const what = file === null ? host.entries.map((e) => `${e.name}:${e.kind}`).join("/") : contentDigest(entry, m);
  return sha256("certsd-lint/1", ruleId, host.name, file ?? "", what);
}

/** A finding about a file directly in a certs root (host ""): the rule, the file's name and its digest. */
export function rootFingerprint(ruleId: string, file: string, entry: Entry): string {
  return sha256("certsd-lint/1", ruleId, "", file, contentDigest(entry, undefined));
}
