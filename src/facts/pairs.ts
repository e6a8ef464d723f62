/**
 * Why tls.X509KeyPair's last step failed for a pair (the key compared with the first certificate of the .cert):
 * four rules, one per cause, share this reading so each failing pair is explained exactly once.
 */
import { certificateInput, keyInput, keyMatch, TLS_KEY_MISMATCH, TLS_KEY_TYPE_MISMATCH } from "../material/go-tls.js";
import type { CertificateBlock } from "../material/material.js";
import type { GoPrivateKey, KeyKind } from "../material/go-keys.js";
import type { RuntimeId } from "../runtimes/types.js";
import type { Entry } from "../scan/types.js";
import type { HostContext } from "../engine/rule.js";
import { errorsOn, isCombined } from "./verdicts.js";

export type MatchFailure = "leaf-not-first" | "type-mismatch" | "mismatch" | "unsupported-certificate-key";

export interface PairMatch {
  entry: Entry;
  keyFile: string;
  kind: MatchFailure;
  errors: Partial<Record<RuntimeId, string>>;
  failing: RuntimeId[];
  chain: CertificateBlock[];
  key: GoPrivateKey | null;
  /** For leaf-not-first: the 0-based position of the certificate the key belongs to. */
  belongsTo: number;
}

export const ALGORITHM: Record<string, string> = {
  rsa: "RSA",
  ecdsa: "ECDSA",
  ed25519: "Ed25519",
  x25519: "X25519",
  dsa: "DSA",
  unknown: "of an algorithm Go does not know",
};

/** Every separate .cert/.key pair whose match step fails for some runtime, classified. */
function computePairMatchFailures(ctx: HostContext): PairMatch[] {
  const out: PairMatch[] = [];
  for (const entry of ctx.host.entries) {
    const errors = errorsOn(ctx, [entry.name], ["match"], (v) => !isCombined(v));
    const failing = Object.keys(errors) as RuntimeId[];
    const v = failing.length ? ctx.verdict(failing[0]!, entry.name) : undefined;
    if (!v?.partner) continue;
    const certM = ctx.material(entry);
    const keyEntry = ctx.entry(v.partner);
    const keyM = keyEntry && ctx.material(keyEntry);
    const ci = certM && certificateInput(certM);
    const ki = keyM && keyInput(keyM);
    const chain = ci && "chain" in ci ? ci.chain : [];
    const key = ki && "key" in ki ? ki.key.parse.key : null;
    const belongsTo = key
      ? chain.findIndex((c, i) => i > 0 && c.parse.cert && keyMatch(key, c.parse.cert) === null)
      : -1;
    let kind: MatchFailure;
    if (belongsTo > 0) kind = "leaf-not-first";
    else if (v.error?.endsWith(TLS_KEY_TYPE_MISMATCH)) kind = "type-mismatch";
    else if (v.error?.endsWith(TLS_KEY_MISMATCH)) kind = "mismatch";
    else kind = "unsupported-certificate-key";
    out.push({ entry, keyFile: v.partner, kind, errors, failing, chain, key, belongsTo });
  }
  return out;
}

export interface UnparseableKey {
  keyFile: string;
  kind: KeyKind;
  bits: number | undefined;
  errors: Partial<Record<RuntimeId, string>>;
  failing: RuntimeId[];
}

/** Every client key Go fails to parse (tls: failed to parse private key, or an unknown PKCS#8 type): CD302 and CD303. */
function computeUnparseableKeys(ctx: HostContext): UnparseableKey[] {
  const out: UnparseableKey[] = [];
  for (const entry of ctx.host.entries) {
    const errors = errorsOn(ctx, [entry.name], ["key-parse"], (v) => !isCombined(v));
    const failing = Object.keys(errors) as RuntimeId[];
    const v = failing.length ? ctx.verdict(failing[0]!, entry.name) : undefined;
    if (!v?.partner) continue;
    const keyEntry = ctx.entry(v.partner);
    const keyM = keyEntry && ctx.material(keyEntry);
    const ki = keyM && keyInput(keyM);
    const parse = ki && "key" in ki ? ki.key.parse : null;
    out.push({
      keyFile: v.partner,
      kind: parse?.kind ?? "unknown",
      bits: parse?.key?.bits,
      errors,
      failing,
    });
  }
  return out;
}

export const ENCRYPTED: readonly KeyKind[] = ["encrypted-pkcs8", "encrypted-legacy"];

/** pairMatchFailures, computed once per host (and runtime scope) however many rules ask. */
export function pairMatchFailures(ctx: HostContext): readonly PairMatch[] {
  return ctx.fact(computePairMatchFailures);
}

/** unparseableKeys, computed once per host (and runtime scope) however many rules ask. */
export function unparseableKeys(ctx: HostContext): readonly UnparseableKey[] {
  return ctx.fact(computeUnparseableKeys);
}
