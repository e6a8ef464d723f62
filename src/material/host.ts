import path from "node:path";
import type { Entry, HostDir } from "../scan/types.js";
import { type GoProfile, usesRewrittenPemDecode } from "./go-profile.js";
import { decodeMaterial, type FileMaterial } from "./material.js";

/** A host directory with every entry that was read decoded once. */
export interface HostMaterial {
  host: HostDir;
  /** Decoded content of every read entry, the host directory's and the external ones. */
  material: Map<Entry, FileMaterial>;
  /** Files outside the host directory that a hosts.toml names, keyed by absolute path. */
  external: Map<string, Entry>;
  /** The same entries as a toolchain with the pre-CVE-2025-61723 pem.Decode sees them (filled on demand). */
  legacyPem?: Map<Entry, FileMaterial>;
}

/**
 * An entry's material as the Go of `go` decodes it: the shared decoding, unless that Go's pem.Decode is the original
 * one and finds other blocks in this file (then a decoding of its own, kept for the next runtime that asks).
 */
export function materialFor(hm: HostMaterial, entry: Entry, go?: GoProfile): FileMaterial | undefined {
  const m = hm.material.get(entry);
  if (!m || !go || usesRewrittenPemDecode(go) || entry.content.status !== "read") return m;
  hm.legacyPem ??= new Map();
  let legacy = hm.legacyPem.get(entry);
  if (!legacy) {
    const d = decodeMaterial(entry.content.data, go);
    const same =
      d.blocks.length === m.blocks.length &&
      d.blocks.every(
        (b, i) =>
          b.offset === m.blocks[i]!.offset &&
          Buffer.compare(Buffer.from(b.bytes), Buffer.from(m.blocks[i]!.bytes)) === 0,
      );
    legacy = same ? m : d;
    hm.legacyPem.set(entry, legacy);
  }
  return legacy;
}

export function decodeHost(host: HostDir, external: readonly Entry[] = []): HostMaterial {
  const material = new Map<Entry, FileMaterial>();
  for (const e of [...host.entries, ...external])
    if (e.content.status === "read") material.set(e, decodeMaterial(e.content.data));
  return { host, material, external: new Map(external.map((e) => [e.path, e])) };
}

/** The entry at an absolute path, when it is in the host directory or was read as an external file. */
export function fileAt(hm: HostMaterial, absPath: string): Entry | undefined {
  const p = path.resolve(absPath);
  if (path.dirname(p) === hm.host.path) return hm.host.entries.find((e) => e.name === path.basename(p));
  return hm.external.get(p);
}
