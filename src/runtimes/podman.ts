/**
 * containers/image: podman, skopeo, buildah, CRI-O (loader-semantics §8). The classic loader with its own wording
 * (`… Note that CA certificates should use the extension .crt`, no trailing period, lowercase), a `.crt` that does
 * not exist skipped with a warning, and a directory it may not list skipped. The host directory is the first that
 * exists of ~/.config/containers/certs.d/<host>, /etc/containers/certs.d/<host>, /etc/docker/certs.d/<host>; the
 * others are not read at all. Loopback registries are not special. Errors reach the user wrapped, e.g. by
 * `podman pull` as `initializing source docker://<ref>: <error>`.
 */
import type { GoProfile } from "../material/go-profile.js";
import { goProfile } from "../material/go-profile.js";
import type { HostMaterial } from "../material/host.js";
import { type ClassicFlavour, classicLoad } from "./classic-loader.js";
import { containerdOnlyName } from "./host-names.js";
import { notRead, type RuntimeOutcome } from "./types.js";

/** podman 5.x: built by Go 1.24 with a go.mod that asks for 1.24 defaults. */
export const DEFAULT_PODMAN_GO = goProfile("1.24", "1.24");

export const DEFAULT_PODMAN_VERSION = "5";

/**
 * The containers/image build a host runs (podman, skopeo and buildah of one era share it): its Go decides some
 * verdicts (X25519 keys parse from Go 1.20; negative serials fail from 1.23; RSA under 1024 bits from 1.24).
 */
export interface PodmanRelease {
  /** As given, e.g. "5" or "4.3". */
  version: string;
  go: GoProfile;
}

/**
 * Parses a podman release ("5", "4.9", "4.3.1") into the Go its builds of that era used. podman has no vendored
 * toolchain: the toolchain is the Go current when the release was cut, as the distributions of the time built it
 * (Debian 12's podman 4.3.1 and skopeo 1.9.3 are Go 1.19 builds, as the oracle's skopeo shows); GODEBUG defaults
 * follow go.mod's go line, which only matters from Go 1.21 (podman 5: go 1.22 and later).
 */
export function podmanRelease(version: string = DEFAULT_PODMAN_VERSION): PodmanRelease {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(version.trim());
  if (!m || Number(m[1]) < 3) throw new Error(`not a podman version (3.0 or later): ${version}`);
  const major = Number(m[1]);
  const minor = Number(m[2] ?? (major >= 5 ? 99 : 0));
  const at = (a: number, b = 0) => major > a || (major === a && minor >= b);
  let go: GoProfile;
  if (at(5, 5)) go = DEFAULT_PODMAN_GO;
  else if (at(5, 3)) go = goProfile("1.23", "1.22");
  else if (at(5)) go = goProfile("1.22", "1.21");
  else if (at(4, 7)) go = goProfile("1.21", "1.20");
  else if (at(4, 4)) go = goProfile("1.20", "1.20");
  else if (at(4, 3)) go = goProfile("1.19", "1.19");
  else if (at(4)) go = goProfile("1.18", "1.18");
  else go = goProfile("1.16", "1.16");
  return { version, go };
}

export function podmanFlavour(go: GoProfile = DEFAULT_PODMAN_GO): ClassicFlavour {
  return {
    runtime: "podman",
    reader: "podman (containers/image)",
    missingKey: (k, c) =>
      `missing key ${k} for client certificate ${c}. Note that CA certificates should use the extension .crt`,
    missingCertificate: (c, k) => `missing client certificate ${c} for key ${k}`,
    go,
    skipMissingCrt: true,
    skipUnlistable: true,
    printed: (e, host) => `initializing source docker://${host}/<image>: ${e}`,
  };
}

export interface PodmanContext {
  go?: GoProfile;
  /** A directory earlier in containers/image's search order that exists for the same host, if any. */
  shadowedBy?: string | null;
}

export function podmanClassicLoad(hm: HostMaterial, go: GoProfile = DEFAULT_PODMAN_GO): RuntimeOutcome {
  return classicLoad(hm, podmanFlavour(go));
}

export function podmanOutcome(hm: HostMaterial, ctx: PodmanContext = {}): RuntimeOutcome {
  const loaded = podmanClassicLoad(hm, ctx.go);
  const containerdName = containerdOnlyName(hm.host.name);
  if (containerdName)
    return notRead(
      loaded,
      `no image reference names "${hm.host.name}": ${containerdName}, which containers/image never looks for`,
    );
  if (ctx.shadowedBy) {
    return notRead(
      loaded,
      `${ctx.shadowedBy} exists and comes first in containers/image's search order: it is used instead, ` +
        `with no merging`,
    );
  }
  return loaded;
}
