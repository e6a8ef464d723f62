/**
 * What differs between containerd releases for certs.d (loader-semantics §7.5, §9.2, §9.3): which hosts.toml keys
 * and capabilities exist, how the decode failure is logged, and the Go build (GODEBUG defaults follow go.mod's go
 * line: v2.0.0 go 1.22.0; v2.0.5 and v2.1.0 go 1.23.0; v2.2.0 go 1.24.3).
 */
import { type GoProfile, goProfile } from "../material/go-profile.js";
import type { ContainerdFeatures } from "../material/hosts-toml.js";

export interface ContainerdRelease {
  version: string;
  features: ContainerdFeatures;
  go: GoProfile;
  /** v2.x logs `failed to decode <dir>/hosts.toml`; v1.x `failed to decode hosts.toml`. */
  decodeLogWithPath: boolean;
}

export const DEFAULT_CONTAINERD_VERSION = "2.2";

export function containerdRelease(version: string = DEFAULT_CONTAINERD_VERSION): ContainerdRelease {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) throw new Error(`not a containerd version: ${version}`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const at = (a: number, b: number, c = 0) => major > a || (major === a && (minor > b || (minor === b && patch >= c)));
  let go: GoProfile;
  if (at(2, 2)) go = goProfile("1.24", "1.24");
  else if (at(2, 0, 5)) go = goProfile("1.23", "1.23");
  else if (at(2, 0)) go = goProfile("1.22", "1.22");
  else if (at(1, 7)) go = goProfile("1.21", "1.19");
  else go = goProfile("1.19", "1.19");
  return {
    version,
    features: { referrers: at(2, 2), dialTimeout: at(2, 1), goTomlV1: !at(2, 0) },
    go,
    decodeLogWithPath: at(2, 0),
  };
}
