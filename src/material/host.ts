import path from "node:path";
import type { Entry, HostDir } from "../scan/types.js";
import { decodeMaterial, type FileMaterial } from "./material.js";

/** A host directory with every entry that was read decoded once. */
export interface HostMaterial {
  host: HostDir;
  /** Decoded content of every read entry, the host directory's and the external ones. */
  material: Map<Entry, FileMaterial>;
  /** Files outside the host directory that a hosts.toml names, keyed by absolute path. */
  external: Map<string, Entry>;
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
