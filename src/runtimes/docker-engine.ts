/**
 * What differs between Docker Engine releases for the classic certs.d loader (loader-semantics §3.7, §7.5):
 * the wording of the two pairing errors, the Go build (which decides some parse verdicts) and whether ::1 counts
 * as an insecure (never-read) registry.
 */
import { type GoProfile, goProfile } from "../material/go-profile.js";
import { type ContainerdRelease, containerdRelease } from "./containerd-release.js";

export type DockerWordingId = "v23" | "v17.09" | "v1.10" | "v1.9";

export interface DockerWording {
  id: DockerWordingId;
  missingKey: (key: string, cert: string) => string;
  missingCertificate: (cert: string, key: string) => string;
}

/** moby's pairing messages, per release range; each %s is a bare file name. */
export const DOCKER_WORDINGS: Record<DockerWordingId, DockerWording> = {
  // errdefs commit 79aa65c1fa, first in v23.0.0
  v23: {
    id: "v23",
    missingKey: (k, c) => `missing key ${k} for client certificate ${c}. CA certificates must use the extension .crt`,
    missingCertificate: (c, k) => `missing client certificate ${c} for key ${k}`,
  },
  // lint cleanup 9b47b7b151, v17.09 to v20.10 (dockerd 20.10.24 prints exactly this: oracle b-ca-as-cert, c-key-without-cert)
  "v17.09": {
    id: "v17.09",
    missingKey: (k, c) =>
      `missing key ${k} for client certificate ${c}. Note that CA certificates should use the extension .crt`,
    missingCertificate: (c, k) => `Missing client certificate ${c} for key ${k}`,
  },
  // d5e2802eae, v1.10.0 to v17.06
  "v1.10": {
    id: "v1.10",
    missingKey: (k, c) =>
      `Missing key ${k} for client certificate ${c}. Note that CA certificates should use the extension .crt.`,
    missingCertificate: (c, k) => `Missing client certificate ${c} for key ${k}`,
  },
  // up to v1.9
  "v1.9": {
    id: "v1.9",
    missingKey: (k, c) => `Missing key ${k} for certificate ${c}`,
    missingCertificate: (c, k) => `Missing certificate ${c} for key ${k}`,
  },
};

export interface DockerEngine {
  /** As given, e.g. "29" or "20.10". */
  version: string;
  wording: DockerWording;
  go: GoProfile;
  /** ::1/128 joined the always-insecure list in v28 (moby/moby#48540); 127.0.0.0/8 has been there since v1.3.2. */
  ipv6LoopbackInsecure: boolean;
  /**
   * The containerd whose hostconfig this release vendors for its containerd image store and BuildKit (v28 and
   * later); null before v28, whose BuildKit had a loader of its own.
   */
  containerd: ContainerdRelease | null;
  /**
   * daemon.json `insecure-registries` (host discovery only): exact names, and CIDRs matched against the host's
   * addresses (an IP literal, or what `addresses` says a name resolves to).
   */
  insecureRegistries?: { names: readonly string[]; cidrs: readonly string[] };
  /**
   * Host discovery only: what each host name (lower case) resolves to, as dockerd's net.LookupIP would see it
   * (the sysroot's etc/hosts, or this machine's resolver). A name without an entry was not resolved.
   */
  addresses?: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_DOCKER_VERSION = "29";

/**
 * Parses "29", "28.0.1", "20.10", "17.09", "1.12"... into the engine's traits. The Go toolchain per release is
 * that of the upstream builds; GODEBUG defaults follow go.mod from v29 (go 1.24) and are Go 1.20's for the
 * GOPATH-mode builds before it.
 */
export function dockerEngine(version: string = DEFAULT_DOCKER_VERSION): DockerEngine {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) throw new Error(`not a Docker Engine version: ${version}`);
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const at = (a: number, b = 0) => major > a || (major === a && minor >= b);
  let wording: DockerWordingId;
  if (at(23)) wording = "v23";
  else if (at(17, 9)) wording = "v17.09";
  else if (at(1, 10)) wording = "v1.10";
  else wording = "v1.9";
  let go: GoProfile;
  if (at(29)) go = goProfile("1.25", "1.24");
  else if (at(28)) go = goProfile("1.23", "1.20");
  else if (at(25)) go = goProfile("1.21", "1.20");
  else if (at(24)) go = goProfile("1.20", "1.20");
  else if (at(20, 10)) go = goProfile("1.19", "1.19");
  else if (at(17, 9)) go = goProfile("1.13", "1.13");
  else go = goProfile("1.8", "1.8");
  const containerd = at(29) ? containerdRelease("2.2") : at(28) ? containerdRelease("2.0") : null;
  return { version, wording: DOCKER_WORDINGS[wording], go, ipv6LoopbackInsecure: at(28), containerd };
}
