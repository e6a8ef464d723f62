/**
 * The differential harness over `certsd-lint inspect --format json`: a seeded generator of input files, Go's answer
 * (test/oracle/godecode -inspect, Go standard library only), and the projection of inspect's JSON onto the fields
 * Go itself can tell, so that both sides print the same JSON. Used by inspect-harness.test.ts (fixed seed, in CI)
 * and by the campaign (`npm run campaign`, 50 000 inputs by default).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { InspectReport } from "../../src/inspect/inspect.js";
import { type DecodeCase, decodeCases, rng } from "./godecode-cases.js";

export interface HarnessInput {
  id: string;
  files: Uint8Array[];
  key?: Uint8Array;
}

const pem = (type: string, der: Uint8Array, headers = "", eol = "\n"): string => {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----${eol}${headers}${lines.join(eol)}${lines.length ? eol : ""}-----END ${type}-----${eol}`;
};

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));

/** One decode case as the file(s) inspect would be given. */
function fromCase(c: DecodeCase, random: () => number): HarnessInput {
  switch (c.kind) {
    case "key": {
      const type = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"][
        Math.floor(random() * 4)
      ]!;
      return { id: c.id, files: [bytes(pem(type, c.bytes))] };
    }
    case "cert":
      return { id: c.id, files: [random() < 0.1 ? c.bytes : bytes(pem("CERTIFICATE", c.bytes))] };
    case "pem":
      return { id: c.id, files: [c.bytes] };
    case "pair":
      return { id: c.id, files: [c.bytes], key: c.key! };
  }
}

function mutate(der: Uint8Array, random: () => number): Uint8Array {
  const m = Uint8Array.from(der);
  if (m.length === 0) return m;
  const pos = Math.floor(random() * m.length);
  const how = Math.floor(random() * 4);
  if (how === 0) m[pos] = m[pos]! ^ (1 << Math.floor(random() * 8));
  else if (how === 1) m[pos] = Math.floor(random() * 256);
  else if (how === 2) m[pos] = [0x00, 0x80, 0x81, 0xff, 0x1f, 0x30, 0x02, 0x05, 0x17, 0x18][Math.floor(random() * 10)]!;
  else return der.subarray(0, pos);
  return m;
}

const TYPES = [
  "CERTIFICATE",
  "CERTIFICATE",
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "TRUSTED CERTIFICATE",
  "X509 CRL",
  "CERTIFICATE REQUEST",
];
const HEADERS = [
  "",
  "",
  "",
  "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n",
  "A: b\n\n",
  "Comment: x\n",
];
const BETWEEN = [
  "",
  "",
  "\n",
  "\r\n",
  "# comment\n",
  "subject=CN = x\n",
  "  ",
  "-----END CERTIFICATE-----\n",
  "\xef\xbb\xbf",
];

/** A file of 1–4 blocks from the pool (each possibly mutated), with headers, text between them and CRLF. */
function composite(i: number, pool: Array<{ der: Uint8Array; cert: boolean }>, random: () => number): HarnessInput {
  const n = 1 + Math.floor(random() * 4);
  const eol = random() < 0.2 ? "\r\n" : "\n";
  let text = random() < 0.05 ? "\xef\xbb\xbf" : "";
  const chosen: Array<{ der: Uint8Array; cert: boolean }> = [];
  for (let j = 0; j < n; j++) {
    const item =
      random() < 0.15 && chosen.length ? chosen[chosen.length - 1]! : pool[Math.floor(random() * pool.length)]!;
    chosen.push(item);
    const der = random() < 0.5 ? mutate(item.der, random) : item.der;
    const type =
      random() < 0.7 ? (item.cert ? "CERTIFICATE" : "PRIVATE KEY") : TYPES[Math.floor(random() * TYPES.length)]!;
    text += BETWEEN[Math.floor(random() * BETWEEN.length)]!;
    text += pem(type, der, HEADERS[Math.floor(random() * HEADERS.length)]!.replace(/\n/g, eol), eol);
  }
  if (random() < 0.1) text = text.slice(0, Math.floor(random() * text.length));
  if (random() < 0.1) text += BETWEEN[Math.floor(random() * BETWEEN.length)]! + "trailing";
  const input: HarnessInput = { id: `composite ${i}`, files: [bytes(text)] };
  if (random() < 0.2) {
    const k = pool.filter((p) => !p.cert);
    const key = k[Math.floor(random() * k.length)];
    if (key) input.key = bytes(pem("PRIVATE KEY", random() < 0.3 ? mutate(key.der, random) : key.der));
  }
  return input;
}

/**
 * `total` inputs from `seed`: the decode cases of godecode-cases.ts as files (their own fixed seeds), then seeded
 * composites of their keys and certificates, freshly mutated, until there are `total`.
 */
export function harnessInputs(repo: string, total: number, seed: number): HarnessInput[] {
  const random = rng(seed);
  const cases = decodeCases(path.join(repo, "fixtures", "keys"), 60, path.join(repo, "fixtures", "cases"), 40);
  const out = cases.slice(0, total).map((c) => fromCase(c, random));
  const pool = cases
    .filter((c) => c.kind === "cert" || c.kind === "key")
    .map((c) => ({ der: c.bytes, cert: c.kind === "cert" }));
  for (let i = 0; out.length < total; i++) out.push(composite(i, pool, random));
  return out;
}

type Json = Record<string, unknown>;

/** Go's answers, in batches (one godecode process per batch). */
export function runGoInspect(binary: string, inputs: HarnessInput[], batch = 2000): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < inputs.length; i += batch) {
    const stdin = JSON.stringify(
      inputs.slice(i, i + batch).map((h) => ({
        id: h.id,
        files: h.files.map((f) => Buffer.from(f).toString("hex")),
        key: h.key !== undefined ? Buffer.from(h.key).toString("hex") : undefined,
      })),
    );
    const r = spawnSync(binary, ["-inspect"], { input: stdin, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`godecode -inspect failed: ${r.stderr}`);
    out.push(...(JSON.parse(r.stdout) as Json[]));
  }
  return out;
}

const nonEmpty = <T>(a: T[] | undefined): T[] | undefined => (a && a.length ? a : undefined);

/** inspect's JSON reduced to what godecode -inspect prints (Go's omitempty: empty lists absent). */
export function projectInspect(id: string, r: InspectReport): Json {
  const toolchain = r.go.toolchain.split(".").map(Number) as [number, number];
  const before120 = toolchain[0] === 1 && toolchain[1] < 20;
  const out: Json = {
    id,
    files: r.files.map((f) => ({
      blocks: f.blocks.map((b) => ({ index: b.index, type: b.type, headers: b.headers, length: b.length })),
      restLength: f.restLength,
      certificates: f.certificates
        .filter((c) => c.block >= 0 || c.error === null)
        .map((c) => {
          if (c.error !== null) return { block: c.block, error: c.error };
          const pk = c.publicKey!;
          // Go < 1.20 has no X25519 public keys in certificates: UnknownPublicKeyAlgorithm.
          const algorithm = pk.algorithm === "x25519" && before120 ? "unknown" : pk.algorithm;
          return {
            block: c.block,
            error: null,
            dnsNames: nonEmpty(c.dnsNames),
            ipAddresses: nonEmpty(c.ipAddresses),
            emailAddresses: nonEmpty(c.emailAddresses),
            uris: nonEmpty(c.uris),
            notBefore: c.notBefore,
            notAfter: c.notAfter,
            basicConstraintsValid: c.basicConstraintsValid,
            isCA: c.isCA,
            maxPathLen: c.maxPathLen === undefined ? undefined : String(c.maxPathLen),
            keyUsage: c.keyUsage,
            unhandledCriticalExtensions: nonEmpty(c.unhandledCriticalExtensions),
            publicKey: {
              algorithm,
              bits: algorithm === "rsa" ? pk.bits : undefined,
              curve: algorithm === "ecdsa" ? pk.curve : undefined,
            },
          };
        }),
      keys: f.keys.map((k) =>
        k.error !== null
          ? { block: k.block, type: k.type, error: k.error }
          : {
              block: k.block,
              type: k.type,
              error: null,
              encoding: k.encoding,
              algorithm: k.algorithm,
              bits: k.bits,
              curve: k.curve,
            },
      ),
      pool: { added: f.pool.added },
    })),
    pairs: r.pairs?.map((p) => ({ error: p.error })),
  };
  return JSON.parse(JSON.stringify(out)) as Json;
}

export function agrees(ours: Json, go: Json): boolean {
  return isDeepStrictEqual(ours, JSON.parse(JSON.stringify(go)));
}
