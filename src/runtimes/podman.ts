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

/** podman 5.x: built by Go 1.24 with a go.mod that asks for 1.24 defaults. Older podman: pass its Go. */
export const DEFAULT_PODMAN_GO = goProfile("1.24", "1.24");

/** The containers/image build a host runs (podman, skopeo, buildah share it): what decides its verdicts is its Go. */
export interface PodmanRelease {
  go: GoProfile;
}

export function podmanRelease(): PodmanRelease {
  return { go: DEFAULT_PODMAN_GO };
}

export function podmanFlavour(go: GoProfile = DEFAULT_PODMAN_GO): ClassicFlavour {
  return {
    runtime: "podman",
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
