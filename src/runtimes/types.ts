/** What a runtime model returns: the outcome a real program reaches with one host directory. */
import type { KeyPairStage, PoolSkip } from "../material/go-tls.js";

export type RuntimeId = "docker";

export type IgnoreReason =
  /** The extension is not one the loader looks at (`ca.pem`, `ca.CRT`, `ca.crt.bak`). */
  | "extension"
  /** A CA file from which the pool took no certificate. */
  | "no-certificate";

export interface IgnoredFile {
  file: string;
  reason: IgnoreReason;
  /** In certsd-lint's words: why nothing was taken. */
  detail: string;
}

/** What the runtime does with one entry when its loader reaches it. */
export interface EntryVerdict {
  file: string;
  role: "ca" | "client-certificate" | "client-key" | "ignored" | "undetermined";
  /** The error the loader stops with on reaching this entry, verbatim; null when it goes on. */
  error: string | null;
  /** Where that error comes from: a partner missing from the listing, a failed read, or a tls.X509KeyPair step. */
  cause?: "missing-partner" | "read" | KeyPairStage;
  /** CA files: certificates the pool takes, and the blocks it skips. */
  certificates?: number;
  skipped?: PoolSkip[];
  /** Client certificates and keys: the partner file's name. */
  partner?: string;
  /** certsd-lint's explanation: why a CA file yields nothing, why the outcome is undetermined, ... */
  detail?: string;
}

export type OutcomeStatus = "ok" | "error" | "not-read" | "undetermined";

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
}
