import type { Entry, HostDir } from "../scan/types.js";
import { decodeMaterial, type FileMaterial } from "./material.js";

/** A host directory with every entry that was read decoded once. */
export interface HostMaterial {
  host: HostDir;
  material: Map<Entry, FileMaterial>;
}

export function decodeHost(host: HostDir): HostMaterial {
  const material = new Map<Entry, FileMaterial>();
  for (const e of host.entries) if (e.content.status === "read") material.set(e, decodeMaterial(e.content.data));
  return { host, material };
}
