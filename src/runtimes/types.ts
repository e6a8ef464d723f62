/** What a runtime model returns: the outcome a real program reaches with one host directory. */
import type { KeyPairStage, PoolSkip } from "../material/go-tls.js";

/** The runtimes certsd-lint models; each has a row in the registry (registry.ts), which every list reads. */
export type RuntimeId = "docker" | "docker-containerd" | "containerd" | "podman";

export type IgnoreReason =
  /** The extension is not one the loader looks at (`ca.pem`, `ca.CRT`, `ca.crt.bak`). */
  | "extension"
  /** A CA file from which the pool took no certificate. */
  | "no-certificate"
  /** Skipped on purpose by the loader: a lone .key (containerd), a missing .crt (podman), a subdirectory (containerd). */
  | "skipped"
  /** A Docker-style file switched off because a valid hosts.toml is in charge (containerd). */
  | "hosts-toml";

export interface IgnoredFile {
  file: string;
  reason: IgnoreReason;
  /** In certsd-lint's words: why nothing was taken. */
  detail: string;
}

/** What the runtime does with one entry when its loader reaches it. */
export interface EntryVerdict {
  file: string;
  role: "ca" | "client-certificate" | "client-key" | "config" | "ignored" | "undetermined";
  /** The error the loader stops with on reaching this entry, verbatim; null when it goes on. */
  error: string | null;
  /** Where that error comes from: a partner missing from the listing, a failed read, or a tls.X509KeyPair step. */
  cause?: "missing-partner" | "read" | "no-certificate" | KeyPairStage;
  /** CA files: certificates the pool takes, and the blocks it skips. */
  certificates?: number;
  skipped?: PoolSkip[];
  /** Client certificates and keys: the partner file's name. */
  partner?: string;
  /** For role "ignored": why the loader passes over it. */
  ignore?: IgnoreReason;
  /** certsd-lint's explanation: why a CA file yields nothing, why the outcome is undetermined, ... */
  detail?: string;
}

export type OutcomeStatus = "ok" | "error" | "not-read" | "undetermined";

/**
 * What a logged message is about: containerd's `failed to decode … hosts.toml`, containers/image's warning for a
 * `.crt` it cannot read.
 */
export type LoggedKind = "hosts-toml-decode" | "crt-read";

/** Something the program logs without failing, verbatim (containerd's decode error, podman's read warning). */
export interface LoggedMessage {
  kind: LoggedKind;
  level: "error" | "warning";
  message: string;
  /** The error attached to the log line; `verbatim` false when certsd-lint words it (rarer TOML mistakes). */
  error?: string;
  verbatim?: boolean;
}

/** containerd's view of hosts.toml in this directory. */
export interface HostsTomlState {
  status: "absent" | "empty" | "valid" | "invalid";
  error: string | null;
  /** True when `error` is the program's own text (go-toml's or containerd's). */
  verbatim: boolean;
  /** For an invalid file: TOML syntax or a wrongly typed value (go-toml's words), or containerd's validation. */
  stage: "syntax" | "type" | "validation" | null;
  line: number | null;
  /** For a valid file: the endpoints in the order containerd tries them. */
  endpoints: Array<{
    server: string;
    url: string;
    capabilities: string[];
    skipVerify: boolean | null;
    ca: string[];
    client: Array<[string, string]>;
  }>;
  /** Keys containerd drops without a word, with the key each most resembles. */
  unknownKeys: Array<{ key: string; suggestion: string | null }>;
  /** `host."…"` entries written without a `[host."…"]` table header: decoded but never used. */
  unusedHosts: string[];
}

export interface RuntimeOutcome {
  runtime: RuntimeId;
  status: OutcomeStatus;
  /** The error the loader returns, verbatim (what goloader would print); null unless status is "error". */
  error: string | null;
  /** The error as the user sees it, with the program's own wrapping (e.g. "Error response from daemon: "). */
  printed: string | null;
  /** The entry the error came from, when it came from one. */
  errorFile: string | null;
  /** Why the directory is not read at all (status "not-read") or why the outcome is undetermined. */
  reason: string | null;
  /** CA files the pool took at least one certificate from, in load order. */
  caFiles: string[];
  caCertificates: number;
  /** Client certificate/key pairs loaded, in load order (Go offers the first that fits the server's request). */
  clientPairs: Array<[string, string]>;
  /** Entries the loader passed over without a word. */
  ignored: IgnoredFile[];
  /** Entries after the one the loader stopped at: never looked at. */
  unreached: string[];
  /** What the loader does with each entry it understands, whether or not it gets that far. */
  verdicts: Map<string, EntryVerdict>;
  /** What the program logs on the way, without failing. */
  logged: LoggedMessage[];
  /** containerd family only. */
  hostsToml?: HostsTomlState;
  /** Docker classic, status "not-read": which gate skipped the directory (for rules; `reason` is the sentence). */
  skip?: NotReadCause;
}

/** The insecure-registry gate's decision (moby isSecureIndex), as data. */
export interface NotReadCause {
  kind: "docker-hub" | "containerd-name" | "insecure-name" | "loopback" | "insecure-cidr";
  /** The insecure-registries entry, or the always-insecure loopback CIDR, that matched. */
  entry: string | null;
  /** The address a name resolved to, when that is what matched. */
  address: string | null;
}

export function emptyOutcome(runtime: RuntimeId): RuntimeOutcome {
  return {
    runtime,
    status: "ok",
    error: null,
    printed: null,
    errorFile: null,
    reason: null,
    caFiles: [],
    caCertificates: 0,
    clientPairs: [],
    ignored: [],
    unreached: [],
    verdicts: new Map(),
    logged: [],
  };
}

/** The same outcome, for a directory the program never reads: verdicts kept for the other clients of it. */
export function notRead(outcome: RuntimeOutcome, reason: string, skip?: NotReadCause): RuntimeOutcome {
  return {
    ...emptyOutcome(outcome.runtime),
    status: "not-read",
    reason,
    ...(skip ? { skip } : {}),
    verdicts: outcome.verdicts,
    hostsToml: outcome.hostsToml,
  };
}
