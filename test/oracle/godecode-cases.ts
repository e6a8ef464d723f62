/**
 * Inputs for test/oracle/godecode.test.ts: hand-built DER (keys, certificates) and PEM, each aimed at one place where
 * Go's decoders are particular, plus fixed-seed mutations of the fixture keys. No randomness without a fixed seed.
 */
import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface DecodeCase {
  id: string;
  kind: "key" | "cert" | "pem" | "pair";
  bytes: Uint8Array;
  /** pair: the key file. */
  key?: Uint8Array;
}

// --- a tiny DER writer ---------------------------------------------------------------------------------

type Part = Uint8Array | string; // string: hex

const bytesOf = (p: Part): Uint8Array =>
  typeof p === "string" ? Uint8Array.from(Buffer.from(p.replace(/\s+/g, ""), "hex")) : p;
export const cat = (...parts: Part[]): Uint8Array =>
  Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(bytesOf(p)))));

function lengthOf(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

export const tlv = (tag: number, ...content: Part[]): Uint8Array => {
  const c = cat(...content);
  return cat(Uint8Array.of(tag), lengthOf(c.length), c);
};
export const seq = (...c: Part[]) => tlv(0x30, ...c);
export const set = (...c: Part[]) => tlv(0x31, ...c);
export const octets = (...c: Part[]) => tlv(0x04, ...c);
export const bits = (unused: number, ...c: Part[]) => tlv(0x03, Uint8Array.of(unused), ...c);
export const ctx = (n: number, constructed: boolean, ...c: Part[]) => tlv(0x80 | (constructed ? 0x20 : 0) | n, ...c);
export const NULL = "0500";

export function int(v: bigint | number): Uint8Array {
  const n = BigInt(v);
  let len = 1;
  while (n < -(1n << BigInt(8 * len - 1)) || n >= 1n << BigInt(8 * len - 1)) len++;
  const u = n < 0n ? (1n << BigInt(8 * len)) + n : n;
  return tlv(0x02, u.toString(16).padStart(2 * len, "0"));
}

export function oid(dotted: string): Uint8Array {
  const p = dotted.split(".").map(Number);
  const arcs = [p[0]! * 40 + p[1]!, ...p.slice(2)];
  const out: number[] = [];
  for (const a of arcs) {
    const b: number[] = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const str = (tag: number, s: string | Uint8Array) => tlv(tag, typeof s === "string" ? Buffer.from(s, "latin1") : s);
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const ia5 = (s: string | Uint8Array) => str(0x16, s);
export const utc = (s: string) => str(0x17, s);
export const gen = (s: string) => str(0x18, s);

// --- keys ----------------------------------------------------------------------------------------------

const P256 = "1.2.840.10045.3.1.7";
const OID_EC = "1.2.840.10045.2.1";
const OID_RSA = "1.2.840.113549.1.1.1";
const OID_ED25519 = "1.3.101.112";

/** n = 61·53, e = 17, d = 2753: a valid (tiny) RSA key, which Go 1.19 parses. */
const TINY = { n: 3233n, e: 17n, d: 2753n, p: 61n, q: 53n };
const tinyFields = (version = int(0), e = int(TINY.e)) =>
  cat(version, int(TINY.n), e, int(TINY.d), int(TINY.p), int(TINY.q));
const pkcs1 = (...extra: Part[]) => seq(tinyFields(), ...extra);
const k32 = (last = 1) => cat("00".repeat(31), Uint8Array.of(last));
const sec1 = (...after: Part[]) => seq(int(1), octets(k32()), ...after);
const curve0 = (c = P256) => ctx(0, true, oid(c));
const pkcs8 = (algOid: string, params: Part | null, inner: Part) =>
  seq(int(0), seq(oid(algOid), ...(params === null ? [] : [params])), octets(inner));

function keyCases(): Array<[string, Part]> {
  return [
    ["crash: PKCS#1 with a truncated additional-primes SEQUENCE", "30140201000201010201010201010201010201013080"],
    ["pkcs1 tiny", pkcs1()],
    ["pkcs1 trailing byte after the SEQUENCE", cat(pkcs1(), "00")],
    ["pkcs1 inner extra NULL", pkcs1(NULL)],
    ["pkcs1 inner extra 0xff", pkcs1("ff")],
    ["pkcs1 inner lone tag byte", pkcs1("02")],
    ["pkcs1 inner empty additional primes", pkcs1("3000")],
    ["pkcs1 inner indefinite SEQUENCE", pkcs1("3080")],
    ["pkcs1 inner truncated SEQUENCE", pkcs1("3005")],
    ["pkcs1 inner truncated OCTET STRING (skipped)", pkcs1("0405")],
    ["pkcs1 dp dq qinv", pkcs1(int(1), int(1), int(1))],
    ["pkcs1 dp not minimal", pkcs1("0202000f")],
    ["pkcs1 dp empty", pkcs1("0200")],
    ["pkcs1 additional prime zero", pkcs1(int(1), int(1), int(1), seq(seq(int(0), int(1), int(1))))],
    ["pkcs1 additional prime not SEQUENCE", pkcs1(int(1), int(1), int(1), seq(int(3)))],
    ["pkcs1 length non-minimal", cat("3081", "14", tinyFields())],
    ["pkcs1 length leading zero", cat("308200", "14", tinyFields())],
    ["pkcs1 indefinite length", cat("3080", tinyFields(), "0000")],
    [
      "pkcs1 high-tag-number INTEGER (non-minimal tag)",
      seq("1f0201", "00", int(TINY.n), int(TINY.e), int(TINY.d), int(TINY.p), int(TINY.q)),
    ],
    ["pkcs1 version 2", seq(tinyFields(int(2)))],
    ["pkcs1 version 1", seq(tinyFields(int(1)))],
    ["pkcs1 version non-minimal", seq(tinyFields(tlv(2, "0000")))],
    ["pkcs1 version 9 bytes", seq(tinyFields(tlv(2, "000000000000000000")))],
    ["pkcs1 e = 1", seq(tinyFields(int(0), int(1)))],
    ["pkcs1 e = 2^31", seq(tinyFields(int(0), int(2n ** 31n)))],
    ["pkcs1 e 9 bytes", seq(tinyFields(int(0), int(2n ** 64n)))],
    ["pkcs1 n negative", seq(int(0), int(-3233), int(17), int(2753), int(61), int(53))],
    ["pkcs1 wrong d", seq(int(0), int(3233), int(17), int(2754), int(61), int(53))],
    ["pkcs1 constructed INTEGER", seq(int(0), tlv(0x22, int(3233)), int(17), int(2753), int(61), int(53))],
    ["pkcs1 truncated", pkcs1().subarray(0, 15)],
    ["pkcs8 rsa NULL params", pkcs8(OID_RSA, NULL, pkcs1())],
    ["pkcs8 rsa no params", pkcs8(OID_RSA, null, pkcs1())],
    ["pkcs8 rsa params OCTET STRING", pkcs8(OID_RSA, "0400", pkcs1())],
    ["pkcs8 rsa params truncated NULL", pkcs8(OID_RSA, "0501", pkcs1())],
    ["pkcs8 rsa params NULL non-minimal length", pkcs8(OID_RSA, "058100", pkcs1())],
    ["pkcs8 rsa params high tag number", pkcs8(OID_RSA, "1f810000", pkcs1())],
    ["pkcs8 rsa params non-minimal high tag", pkcs8(OID_RSA, "1f0100", pkcs1())],
    ["pkcs8 rsa inner trailing byte", pkcs8(OID_RSA, NULL, cat(pkcs1(), "00"))],
    ["pkcs8 trailing after wrapper", cat(pkcs8(OID_RSA, NULL, pkcs1()), "00")],
    ["pkcs8 attributes after key", seq(int(0), seq(oid(OID_RSA), NULL), octets(pkcs1()), ctx(0, true, "3000"))],
    ["pkcs8 constructed OCTET STRING", seq(int(0), seq(oid(OID_RSA), NULL), tlv(0x24, octets(pkcs1())))],
    ["pkcs8 version 1", seq(int(1), seq(oid(OID_RSA), NULL), octets(pkcs1()))],
    ["pkcs8 OID padding in algorithm", seq(int(0), seq("060a2a80864886f70d010101", NULL), octets(pkcs1()))],
    [
      "pkcs8 ec wrapper curve, inner [0] NULL",
      pkcs8(OID_EC, oid(P256), seq(int(1), octets(k32()), ctx(0, true, NULL))),
    ],
    ["pkcs8 ec wrapper curve, inner [0] P-256", pkcs8(OID_EC, oid(P256), sec1(curve0()))],
    ["pkcs8 ec no wrapper curve, inner P-256", pkcs8(OID_EC, null, sec1(curve0()))],
    ["pkcs8 ec wrapper NULL, inner P-256", pkcs8(OID_EC, NULL, sec1(curve0()))],
    ["pkcs8 ec wrapper NULL, inner none", pkcs8(OID_EC, NULL, sec1())],
    ["pkcs8 ec wrapper secp256k1", pkcs8(OID_EC, oid("1.3.132.0.10"), sec1(curve0()))],
    ["pkcs8 ec wrapper P-384 wins over inner P-256", pkcs8(OID_EC, oid("1.3.132.0.34"), sec1(curve0()))],
    ["sec1 P-256", sec1(curve0())],
    ["sec1 no curve", sec1()],
    ["sec1 [0] NULL", sec1(ctx(0, true, NULL))],
    ["sec1 [1] good", sec1(curve0(), ctx(1, true, bits(0, "04")))],
    ["sec1 [1] bad padding", sec1(curve0(), ctx(1, true, bits(7, "01")))],
    ["sec1 [1] empty BIT STRING", sec1(curve0(), ctx(1, true, "0300"))],
    ["sec1 [1] unused bits without content", sec1(curve0(), ctx(1, true, "030101"))],
    ["sec1 empty a1 00 at end", sec1(curve0(), "a100")],
    ["sec1 empty a1 00 then more", sec1(curve0(), "a100", NULL)],
    ["sec1 [1] primitive", sec1(curve0(), "8100")],
    ["sec1 [0] shorter than its content", sec1(cat("a002", oid(P256)))],
    ["sec1 [0] longer than its content", sec1(cat("a00c", oid(P256), NULL))],
    ["sec1 [0] indefinite", sec1(cat("a080", oid(P256), "0000"))],
    ["sec1 [0] truncated OID", sec1(cat("a00a", "0608", "2a8648ce3d0301"))],
    ["sec1 [0] OID padding", sec1(ctx(0, true, "0609802a8648ce3d030107"))],
    ["sec1 OCTET STRING length with leading zero", seq(int(1), cat("048200", "20", k32()), curve0())],
    ["sec1 zero scalar", seq(int(1), octets("00".repeat(32)), curve0())],
    [
      "sec1 scalar = order",
      seq(int(1), octets("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"), curve0()),
    ],
    ["sec1 scalar 33 bytes, leading zero", seq(int(1), octets(cat("00", k32())), curve0())],
    ["sec1 scalar 33 bytes, leading one", seq(int(1), octets(cat("01", "00".repeat(31), "01")), curve0())],
    ["sec1 scalar short", seq(int(1), octets("01"), curve0())],
    ["sec1 version 2", seq(int(2), octets(k32()), curve0())],
    ["sec1 trailing after SEQUENCE", cat(sec1(curve0()), "00")],
    ["sec1 extra field at end", sec1(curve0(), NULL)],
    ["ed25519", pkcs8(OID_ED25519, null, octets("11".repeat(32)))],
    ["ed25519 NULL params", pkcs8(OID_ED25519, NULL, octets("11".repeat(32)))],
    ["ed25519 seed 31 bytes", pkcs8(OID_ED25519, null, octets("11".repeat(31)))],
    ["ed25519 seed trailing", pkcs8(OID_ED25519, null, cat(octets("11".repeat(32)), "00"))],
    ["ed25519 seed not OCTET STRING", pkcs8(OID_ED25519, null, tlv(0x0c, "11".repeat(32)))],
    ["x25519", pkcs8("1.3.101.110", null, octets("11".repeat(32)))],
    ["dsa oid", pkcs8("1.2.840.10040.4.1", null, int(5))],
    ["empty", ""],
    ["one byte", "30"],
  ];
}

/** mulberry32: a fixed-seed generator for the mutation cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pemDer(file: string): Uint8Array | null {
  const text = readFileSync(file, "latin1");
  const m = /-----BEGIN [^-]+-----\r?\n([\s\S]*?)-----END/.exec(text);
  return m ? Uint8Array.from(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64")) : null;
}

/** The fixture keys as they are, in their other encodings, truncated and mutated (fixed seed). */
function fixtureKeyCases(keysDir: string, mutationsPerKey: number): Array<[string, Part]> {
  const out: Array<[string, Part]> = [];
  const random = rng(0x5eed);
  for (const f of readdirSync(keysDir)
    .filter((n) => n.endsWith(".pem"))
    .sort()) {
    const der = pemDer(path.join(keysDir, f));
    if (!der) continue;
    out.push([`fixture ${f}`, der]);
    const variants: Array<[string, Uint8Array]> = [[f, der]];
    try {
      const k = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
      if (k.asymmetricKeyType === "rsa")
        variants.push([`${f} as PKCS#1`, Uint8Array.from(k.export({ format: "der", type: "pkcs1" }))]);
      if (k.asymmetricKeyType === "ec")
        variants.push([`${f} as SEC1`, Uint8Array.from(k.export({ format: "der", type: "sec1" }))]);
    } catch {
      // not a key node can read: only its own bytes are used
    }
    for (const [name, bytes] of variants.slice(1)) out.push([`fixture ${name}`, bytes]);
    for (const [name, bytes] of variants) {
      for (const cut of [1, 2, 10, Math.floor(bytes.length / 2), bytes.length - 2, bytes.length - 1]) {
        if (cut > 0 && cut < bytes.length) out.push([`fixture ${name} truncated to ${cut}`, bytes.subarray(0, cut)]);
      }
      for (let i = 0; i < mutationsPerKey; i++) {
        const m = Uint8Array.from(bytes);
        const pos = Math.floor(random() * Math.min(m.length, i % 2 ? m.length : 48));
        const how = Math.floor(random() * 3);
        if (how === 0) m[pos] = m[pos]! ^ (1 << Math.floor(random() * 8));
        else if (how === 1) m[pos] = Math.floor(random() * 256);
        else m[pos] = [0x00, 0x80, 0x81, 0xff, 0x1f, 0x30, 0x02][Math.floor(random() * 7)]!;
        out.push([`fixture ${name} mutation ${i} at ${pos}`, m]);
      }
    }
  }
  return out;
}

// --- certificates --------------------------------------------------------------------------------------

const SIG_ED25519 = seq(oid(OID_ED25519));
const name = (cn = "godecode") => seq(set(seq(oid("2.5.4.3"), utf8(cn))));
const ED_SPKI = seq(seq(oid(OID_ED25519)), bits(0, "22".repeat(32)));
const ext = (id: string, value: Part, critical = false) => seq(oid(id), ...(critical ? ["0101ff"] : []), octets(value));

interface CertOpts {
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
  spki?: Uint8Array;
  exts?: Uint8Array[];
  subject?: Uint8Array;
}

export function cert(o: CertOpts = {}): Uint8Array {
  const tbs = seq(
    ctx(0, true, int(2)),
    int(0x1001),
    SIG_ED25519,
    name("issuer"),
    seq(o.notBefore ?? utc("260101000000Z"), o.notAfter ?? utc("360101000000Z")),
    o.subject ?? name(),
    o.spki ?? ED_SPKI,
    ...(o.exts ? [ctx(3, true, seq(...o.exts))] : []),
  );
  return seq(tbs, SIG_ED25519, bits(0, "33".repeat(64)));
}

const bc = (...c: Part[]) => ext("2.5.29.19", seq(...c), true);
const san = (...names: Part[]) => ext("2.5.29.17", seq(...names));
const nc = (permitted: Part[] | null, excluded: Part[] | null = null, critical = true) =>
  ext(
    "2.5.29.30",
    seq(
      ...(permitted ? [ctx(0, true, ...permitted.map((p) => seq(p)))] : []),
      ...(excluded ? [ctx(1, true, ...excluded.map((p) => seq(p)))] : []),
    ),
    critical,
  );
const dnsC = (s: string | Uint8Array) => tlv(0x82, typeof s === "string" ? Buffer.from(s, "latin1") : s);
const emailC = (s: string) => tlv(0x81, Buffer.from(s, "latin1"));
const uriC = (s: string) => tlv(0x86, Buffer.from(s, "latin1"));
const ipC = (h: string) => tlv(0x87, h);

const RSA_MOD = `00c0${"5a".repeat(254)}`; // 2048-bit odd modulus shape; ParseCertificate does not factor it
const rsaSpki = (unused: number) => seq(seq(oid(OID_RSA), NULL), bits(unused, seq(tlv(2, RSA_MOD), int(65537))));
// The P-256 generator point: on the curve.
const P256_G =
  "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const ecSpki = (params: Part[], unused = 0, point = P256_G) => seq(seq(oid(OID_EC), ...params), bits(unused, point));

function certCases(): Array<[string, Uint8Array]> {
  const times: Array<[string, Uint8Array]> = [
    ["utc +2359", utc("260101000000+2359")],
    ["utc +2400", utc("260101000000+2400")],
    ["utc +2401", utc("260101000000+2401")],
    ["utc +2459", utc("260101000000+2459")],
    ["utc +2500", utc("260101000000+2500")],
    ["utc +9959", utc("260101000000+9959")],
    ["utc +0060", utc("260101000000+0060")],
    ["utc -2400", utc("260101000000-2400")],
    ["utc +0000", utc("260101000000+0000")],
    ["utc -0000", utc("260101000000-0000")],
    ["utc minutes only", utc("2601010000Z")],
    ["utc year 49", utc("490101000000Z")],
    ["utc year 50", utc("500101000000Z")],
    ["utc year 68", utc("680101000000Z")],
    ["utc year 69", utc("690101000000Z")],
    ["utc feb 29 2027", utc("270229000000Z")],
    ["utc feb 29 2028", utc("280229000000Z")],
    ["utc second 60", utc("260101000060Z")],
    ["utc hour 24", utc("260101240000Z")],
    ["gen fraction .5", gen("20260101000000.5Z")],
    ["gen fraction .50", gen("20260101000000.50Z")],
    ["gen year 0000", gen("00000101000000Z")],
    ["gen year 0050", gen("00500101000000Z")],
    ["gen year 0099", gen("00991231235959Z")],
    ["gen year 0100", gen("01000101000000Z")],
    ["gen year 1899", gen("18991231000000Z")],
    ["gen year 9999", gen("99991231235959Z")],
    ["gen +0130", gen("20260101000000+0130")],
    ["gen no zone", gen("20260101000000")],
    ["gen lowercase z", gen("20260101000000z")],
  ];
  const out: Array<[string, Uint8Array]> = [["baseline", cert()]];
  for (const [n, t] of times) out.push([`notBefore ${n}`, cert({ notBefore: t })]);
  out.push(
    ["san uri ok", cert({ exts: [san(uriC("https://registry.example.com:5000/v2/"))] })],
    ["san uri spaces", cert({ exts: [san(uriC("http://a b"))] })],
    ["san uri bad escape", cert({ exts: [san(uriC("https://example.com/%zz"))] })],
    ["san uri bad host", cert({ exts: [san(uriC("https://exa mple.com/"))] })],
    ["san uri empty label host", cert({ exts: [san(uriC("https://a..b/"))] })],
    ["san uri trailing dot host", cert({ exts: [san(uriC("https://a.b./"))] })],
    ["san uri bad port", cert({ exts: [san(uriC("https://a.b:x/"))] })],
    ["san uri ipv6 host", cert({ exts: [san(uriC("https://[::1]:5000/"))] })],
    ["san uri control char", cert({ exts: [san(uriC("https://a.b/\x01"))] })],
    ["san uri relative", cert({ exts: [san(uriC("registry/path"))] })],
    ["san uri urn", cert({ exts: [san(uriC("urn:uuid:1234"))] })],
    ["san uri spiffe", cert({ exts: [san(uriC("spiffe://cluster.local/ns/default/sa/x"))] })],
    ["san uri with userinfo", cert({ exts: [san(uriC("https://u:p@a.b/"))] })],
    ["san uri colon first", cert({ exts: [san(uriC(":foo"))] })],
    ["san uri percent host", cert({ exts: [san(uriC("https://a%41.b/"))] })],
    ["san uri with fragment", cert({ exts: [san(uriC("https://a.b/#frag"))] })],
    ["san uri empty", cert({ exts: [san(uriC(""))] })],
    ...[
      "HTTPS://Registry.Example.com/v2/",
      "https://a.b/a b",
      "https://a.b/%41%42",
      "https://a.b/%e2%82%ac",
      "https://a.b/a!b*c(d)",
      "https://a.b/a%20b?q=a b#f g",
      "https://a.b/?",
      "https://a.b/#",
      "https://a.b/#a%20b",
      "https://a.b/#a b",
      "https://a.b/path;x=1",
      "https://us%40er:p%3Ass@a.b/",
      "https://user@a.b/",
      "https:/path/only",
      "file:///etc/docker",
      "//a.b/x",
      "///x",
      "mailto:root@a.b",
      "https://a.b:5000",
      "https://[fe80::1%25eth0]:5000/",
      "https://a.b/*",
      "*",
      "a/b:c",
      "https://a.b/%zz",
      "https://a.b/%2",
      "https://%e2%82%ac.b/",
      "https://a.b/\x7f",
    ].map((u): [string, Uint8Array] => [`san uri ${JSON.stringify(u)}`, cert({ exts: [san(uriC(u))] })]),
    ["san ip v4", cert({ exts: [san(ipC("0a010203"))] })],
    ["san ip v4-mapped v6", cert({ exts: [san(ipC("00000000000000000000ffff0a010203"))] })],
    ["san ip v6", cert({ exts: [san(ipC("20010db8000000000000000000000001"))] })],
    ["san ip v6 ::", cert({ exts: [san(ipC("00000000000000000000000000000000"))] })],
    ["san ip v6 ::1", cert({ exts: [san(ipC("00000000000000000000000000000001"))] })],
    ["san ip v6 single zero group", cert({ exts: [san(ipC("20010db8000100000001000100010001"))] })],
    ["san ip v6 two runs", cert({ exts: [san(ipC("20010000000000010000000000000001"))] })],
    ["san ip 5 bytes", cert({ exts: [san(ipC("0a01020304"))] })],
    ["san dns + email", cert({ exts: [san(dnsC("registry.example.com"), emailC("a@b.c"))] })],
    ["san dns non-ascii", cert({ exts: [san(dnsC(Uint8Array.of(0x61, 0xff)))] })],
    ["rsa spki unused bits 0", cert({ spki: rsaSpki(0) })],
    [
      "rsa spki unused bits 4",
      cert({ spki: seq(seq(oid(OID_RSA), NULL), bits(4, seq(tlv(2, RSA_MOD), int(65537)).subarray(0, -1), "10")) }),
    ],
    ["ec spki", cert({ spki: ecSpki([oid(P256)]) })],
    ["ec spki unused bits 1", cert({ spki: seq(seq(oid(OID_EC), oid(P256)), bits(1, P256_G.slice(0, -2) + "f4")) })],
    ["ec params followed by extra fields", cert({ spki: ecSpki([oid(P256), NULL]) })],
    ["ec params NULL", cert({ spki: ecSpki([NULL]) })],
    ["ec params OID padding", cert({ spki: ecSpki(["0609802a8648ce3d030107"]) })],
    ["ed25519 spki unused bits 2", cert({ spki: seq(seq(oid(OID_ED25519)), bits(2, "22".repeat(31) + "20")) })],
    ["basic constraints CA", cert({ exts: [bc("0101ff")] })],
    ["basic constraints pathLen 0", cert({ exts: [bc("0101ff", int(0))] })],
    ["basic constraints pathLen 2^53+1", cert({ exts: [bc("0101ff", int(2n ** 53n + 1n))] })],
    ["basic constraints pathLen 2^63-1", cert({ exts: [bc("0101ff", int(2n ** 63n - 1n))] })],
    ["basic constraints pathLen 2^63", cert({ exts: [bc("0101ff", int(2n ** 63n))] })],
    ["basic constraints pathLen -1", cert({ exts: [bc("0101ff", int(-1))] })],
    ["basic constraints pathLen -5", cert({ exts: [bc("0101ff", int(-5))] })],
    ["basic constraints not a SEQUENCE", cert({ exts: [ext("2.5.29.19", "0101ff", true)] })],
    ["basic constraints bad BOOLEAN", cert({ exts: [bc("010101")] })],
    ["basic constraints pathLen non-minimal", cert({ exts: [bc("0101ff", "02020001")] })],
    ["policies ok", cert({ exts: [ext("2.5.29.32", seq(seq(oid("2.23.140.1.2.1"))))] })],
    ["policies empty OID", cert({ exts: [ext("2.5.29.32", seq(seq("0600")))] })],
    ["policies truncated OID", cert({ exts: [ext("2.5.29.32", seq(seq("060281")))] })],
    ["policies OID padding", cert({ exts: [ext("2.5.29.32", seq(seq("0603678001")))] })],
    ["policies big arc", cert({ exts: [ext("2.5.29.32", seq(seq("06072a8fffffffff7f")))] })],
    [
      "policies duplicate",
      cert({ exts: [ext("2.5.29.32", seq(seq(oid("2.23.140.1.2.1")), seq(oid("2.23.140.1.2.1"))))] }),
    ],
    ["policies no OID", cert({ exts: [ext("2.5.29.32", seq(seq(NULL)))] })],
    ["policy constraints critical", cert({ exts: [ext("2.5.29.36", seq(tlv(0x80, "00")), true)] })],
    ["policy constraints malformed", cert({ exts: [ext("2.5.29.36", "0500")] })],
    ["policy mappings malformed", cert({ exts: [ext("2.5.29.33", "0500")] })],
    ["policy mappings critical", cert({ exts: [ext("2.5.29.33", seq(seq(oid("1.2.3"), oid("1.2.4"))), true)] })],
    ["inhibitAnyPolicy malformed", cert({ exts: [ext("2.5.29.54", "0500")] })],
    ["inhibitAnyPolicy critical", cert({ exts: [ext("2.5.29.54", int(0), true)] })],
    ["akid critical", cert({ exts: [ext("2.5.29.35", seq(tlv(0x80, "0102")), true)] })],
    ["skid critical", cert({ exts: [ext("2.5.29.14", octets("0102"), true)] })],
    [
      "aia critical",
      cert({ exts: [ext("1.3.6.1.5.5.7.1.1", seq(seq(oid("1.3.6.1.5.5.7.48.1"), uriC("http://ocsp"))), true)] }),
    ],
    ["extension OID padding", cert({ exts: [seq("060355801d", octets("0500"))] })],
    ["subject BMPString", cert({ subject: seq(set(seq(oid("2.5.4.3"), tlv(0x1e, "00610062")))) })],
    ["subject BMPString surrogate", cert({ subject: seq(set(seq(oid("2.5.4.3"), tlv(0x1e, "d800")))) })],
    ["subject BMPString noncharacter", cert({ subject: seq(set(seq(oid("2.5.4.3"), tlv(0x1e, "fffe")))) })],
    ["subject attribute OID padding", cert({ subject: seq(set(seq("0604558004" + "03", utf8("x")))) })],
    ["subject OID 5-byte padded arc", cert({ subject: seq(set(seq("0607558080808001" + "03", utf8("x")))) })],
    ["subject OID 6-byte padded arc", cert({ subject: seq(set(seq("060855808080808001" + "03", utf8("x")))) })],
    ["nc dns ok", cert({ exts: [nc([dnsC("example.com")])] })],
    ["nc dns leading dot", cert({ exts: [nc([dnsC(".example.com")])] })],
    ["nc dns empty label", cert({ exts: [nc([dnsC("a..b")])] })],
    ["nc dns trailing dot", cert({ exts: [nc([dnsC("example.com.")])] })],
    ["nc dns empty", cert({ exts: [nc([dnsC("")])] })],
    ["nc dns non-ascii", cert({ exts: [nc([dnsC(Uint8Array.of(0x61, 0xc3, 0xa9))])] })],
    ["nc dns space", cert({ exts: [nc([dnsC("a b")])] })],
    ["nc ip v4 ok", cert({ exts: [nc([ipC("0a000000ff000000")])] })],
    ["nc ip v4 bad mask", cert({ exts: [nc([ipC("0a000000ff00ff00")])] })],
    ["nc ip v4 mask 0x7f", cert({ exts: [nc([ipC("0a0000007f000000")])] })],
    ["nc ip wrong length", cert({ exts: [nc([ipC("0a000000ff")])] })],
    [
      "nc ip v6 ok",
      cert({ exts: [nc(null, [ipC("20010db8000000000000000000000000ffffffff000000000000000000000000")])] }),
    ],
    ["nc email mailbox", cert({ exts: [nc([emailC("user@example.com")])] })],
    ["nc email domain", cert({ exts: [nc([emailC(".example.com")])] })],
    ["nc email bad mailbox", cert({ exts: [nc([emailC("us er@example.com")])] })],
    ["nc email quoted mailbox", cert({ exts: [nc([emailC('"a b"@example.com')])] })],
    ["nc email bad domain", cert({ exts: [nc([emailC("a..b")])] })],
    ["nc uri ok", cert({ exts: [nc([uriC("example.com")])] })],
    ["nc uri ip", cert({ exts: [nc([uriC("10.0.0.1")])] })],
    ["nc uri bad", cert({ exts: [nc([uriC("a..b")])] })],
    ...[
      "010.0.0.1",
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "::",
      "::1",
      "1::",
      "::ffff:1.2.3.4",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "fe80::1%eth0",
      "::1.2.3.4",
      "1:2:3:4:5:6:1.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4",
      "00001::",
      "10000::",
      ":",
      "1:",
      ":1",
      "1:2:3:4:5:6:7::",
      "::1:2:3:4:5:6:7:8",
      "a.b.c.d",
    ].map((ip): [string, Uint8Array] => [`nc uri ${ip}`, cert({ exts: [nc([uriC(ip)])] })]),
    ["nc other name type (unhandled, critical)", cert({ exts: [nc([ctx(4, true, name())])] })],
    ["nc other name type not critical", cert({ exts: [nc([ctx(4, true, name())], null, false)] })],
    ["nc handled, critical", cert({ exts: [nc([dnsC("example.com")], [ipC("0a000000ff000000")])] })],
    ["nc empty", cert({ exts: [ext("2.5.29.30", seq(), true)] })],
    ["nc empty subtrees", cert({ exts: [ext("2.5.29.30", seq(ctx(0, true)), true)] })],
    [
      "nc subtree with minimum",
      cert({ exts: [ext("2.5.29.30", seq(ctx(0, true, seq(dnsC("example.com"), tlv(0x80, "00")))), true)] }),
    ],
    ["nc subtree not a SEQUENCE", cert({ exts: [ext("2.5.29.30", seq(ctx(0, true, dnsC("example.com"))), true)] })],
    ["nc subtree empty SEQUENCE", cert({ exts: [ext("2.5.29.30", seq(ctx(0, true, seq())), true)] })],
  );
  return out;
}

// --- PEM -----------------------------------------------------------------------------------------------

function pemCases(certDer: Uint8Array): Array<[string, string | Uint8Array]> {
  const b64 = Buffer.from(certDer).toString("base64").replace(/.{64}/g, "$&\n");
  const block = (type: string, body = b64, headers = "") =>
    `-----BEGIN ${type}-----\n${headers}${body}\n-----END ${type}-----\n`;
  const c = block("CERTIFICATE");
  return [
    ["one certificate", c],
    ["two certificates", c + c],
    ["crlf", c.replace(/\n/g, "\r\n")],
    ["bom", `\ufeff${c}`],
    ["indented", `  ${c}`],
    ["text before", `hello\n${c}`],
    ["text before on the BEGIN line", `hello ${c}`],
    ["headers", block("CERTIFICATE", b64, "Proc-Type: 4,ENCRYPTED\nDEK-Info: x\n\n")],
    ["header without blank line", block("CERTIFICATE", b64, "A: b\n")],
    ["duplicate headers", block("CERTIFICATE", b64, "A: b\nA: c\n\n")],
    ["empty block", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"],
    ["empty block no newline", "-----BEGIN X-----\n-----END X-----"],
    ["end type mismatch then good", block("CERTIFICATE").replace("END CERTIFICATE", "END CERTIFICATEX") + c],
    ["bad base64 then good", block("CERTIFICATE", `${b64.slice(0, 10)}!${b64.slice(11)}`) + c],
    ["missing padding", block("CERTIFICATE", b64.replace(/=+$/, ""))],
    ["trailing text after END", c.replace(/\n$/, " x\n") + c],
    ["trailing spaces after END", c.replace(/\n$/, " \t\n")],
    ["BEGIN without END, then good", `-----BEGIN CERTIFICATE-----\nAAAA\n${c}`],
    ["nested BEGIN", `-----BEGIN A-----\n${c}-----END A-----\n`],
    [
      "two BEGIN lines then END",
      `-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    ],
    ["BEGIN line without dashes at end", `-----BEGIN CERTIFICATE\n${b64}\n-----END CERTIFICATE-----\n${c}`],
    ["END without newline before", `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`],
    ["header line only then EOF", "-----BEGIN CERTIFICATE-----\nA: b"],
    ["header then END", "-----BEGIN CERTIFICATE-----\nA: b\n-----END CERTIFICATE-----\n"],
    ["header then END then good", `-----BEGIN CERTIFICATE-----\nA: b\n-----END CERTIFICATE-----\n${c}`],
    ["xff in type", Buffer.concat([Buffer.from("-----BEGIN \xff-----\nAAAA\n-----END \xff-----\n", "latin1")])],
    ["private key and certificate", block("PRIVATE KEY", "AAAA") + c],
    ["certificate with headers is not pooled", block("CERTIFICATE", b64, "A: b\n\n") + c],
    ["duplicate certificate pooled once", c + c + c],
    ["garbage DER in CERTIFICATE", block("CERTIFICATE", "AAAA") + c],
    ["CR only line endings", c.replace(/\n/g, "\r")],
    ["END line with CR then text", c.replace(/-----END CERTIFICATE-----\n$/, "-----END CERTIFICATE-----\rx\n") + c],
    ["spaces inside base64", block("CERTIFICATE", b64.replace(/(.{8})/g, "$1 \t"))],
    ["BEGIN type with spaces", block("X509 CRL", "AAAA")],
    ["END first then BEGIN", `-----END CERTIFICATE-----\n${c}`],
    ["BEGIN at EOF", "-----BEGIN CERTIFICATE-----"],
  ];
}

/** Every fixture host directory's files: each *.crt as PEM input, each *.cert with its *.key as an X509KeyPair input. */
function fixtureFileCases(casesDir: string): DecodeCase[] {
  const out: DecodeCase[] = [];
  for (const c of readdirSync(casesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const h of readdirSync(path.join(casesDir, c), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()) {
      const dir = path.join(casesDir, c, h);
      let files: string[];
      try {
        files = readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => d.name)
          .sort();
      } catch {
        continue;
      }
      const read = (f: string) => Uint8Array.from(readFileSync(path.join(dir, f)));
      for (const f of files) {
        if (f.endsWith(".crt")) out.push({ id: `pem: fixture ${c}/${h}/${f}`, kind: "pem", bytes: read(f) });
        if (f.endsWith(".cert")) {
          const key = `${f.slice(0, -".cert".length)}.key`;
          if (files.includes(key))
            out.push({ id: `pair: fixture ${c}/${h}/${f}`, kind: "pair", bytes: read(f), key: read(key) });
        }
      }
    }
  }
  return out;
}

function pairCases(certPem: string, keyPem: string): DecodeCase[] {
  const b = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
  const xff = "-----BEGIN \xff-----\nAAAA\n-----END \xff-----\n";
  return [
    ["good", certPem, keyPem],
    ["xff block type in certificate input", xff, keyPem],
    ["xff and another type in certificate input", xff + "-----BEGIN X-----\nAAAA\n-----END X-----\n", keyPem],
    ["xff block type in key input", certPem, xff],
    ["no PEM in certificate input", "hello", keyPem],
    ["switched inputs", keyPem, certPem],
    ["certificate as the key", certPem, certPem],
    ["no PEM in key input", certPem, "hello"],
  ].map(([id, c, k]) => ({ id: `pair: ${id}`, kind: "pair" as const, bytes: b(c!), key: b(k!) }));
}

/** PEM-like texts from a small vocabulary of lines (fixed seed): where the pem.Decode algorithms are particular. */
function pemFuzzCases(n: number, certB64: string): Array<[string, string]> {
  const random = rng(0x9e3);
  const vocab = [
    "-----BEGIN CERTIFICATE-----",
    "-----END CERTIFICATE-----",
    "-----BEGIN X-----",
    "-----END X-----",
    "-----BEGIN CERTIFICATE",
    "-----END CERTIFICATE----- x",
    "-----END CERTIFICATE-----  ",
    "  -----BEGIN CERTIFICATE-----",
    "AAAA",
    "AAA=",
    "A!AA",
    "Proc-Type: 4,ENCRYPTED",
    "A: b",
    "",
    " ",
    certB64,
    "-----BEGIN CERTIFICATE-----" + "AAAA",
    "x-----BEGIN CERTIFICATE-----",
    "-----END CERTIFICATE----------BEGIN CERTIFICATE-----",
  ];
  const seps = ["\n", "\r\n", "\r", "\n\n"];
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    const lines = 2 + Math.floor(random() * 8);
    let text = "";
    for (let j = 0; j < lines; j++) {
      text += vocab[Math.floor(random() * vocab.length)]!;
      if (j < lines - 1 || random() < 0.7) text += seps[random() < 0.8 ? 0 : Math.floor(random() * seps.length)]!;
    }
    out.push([`fuzz ${i}`, text]);
  }
  return out;
}

/** Fixed-seed mutations of real certificates: one byte changed, or cut short. */
function certMutationCases(certs: Array<[string, Uint8Array]>, perCert: number): Array<[string, Uint8Array]> {
  const random = rng(0xce27);
  const out: Array<[string, Uint8Array]> = [];
  for (const [name, der] of certs) {
    for (let i = 0; i < perCert; i++) {
      const m = Uint8Array.from(der);
      const pos = Math.floor(random() * m.length);
      const how = Math.floor(random() * 4);
      if (how === 0) m[pos] = m[pos]! ^ (1 << Math.floor(random() * 8));
      else if (how === 1) m[pos] = Math.floor(random() * 256);
      else if (how === 2)
        m[pos] = [0x00, 0x80, 0x81, 0xff, 0x1f, 0x30, 0x02, 0x05, 0x17, 0x18][Math.floor(random() * 10)]!;
      else {
        out.push([`${name} mutation ${i}: cut at ${pos}`, der.subarray(0, pos)]);
        continue;
      }
      out.push([`${name} mutation ${i} at ${pos}`, m]);
    }
  }
  return out;
}

export function decodeCases(
  keysDir: string,
  mutationsPerKey = 60,
  casesDir?: string,
  mutationsPerCert = 0,
): DecodeCase[] {
  const out: DecodeCase[] = [];
  for (const [id, b] of keyCases()) out.push({ id: `key: ${id}`, kind: "key", bytes: bytesOf(b) });
  for (const [id, b] of fixtureKeyCases(keysDir, mutationsPerKey))
    out.push({ id: `key: ${id}`, kind: "key", bytes: bytesOf(b) });
  for (const [id, b] of certCases()) out.push({ id: `cert: ${id}`, kind: "cert", bytes: b });
  const pemCert = cert({ exts: [san(dnsC("registry.example.com"))] });
  const fuzz = pemFuzzCases(600, Buffer.from(pemCert).toString("base64"));
  for (const [id, b] of [...pemCases(pemCert), ...fuzz]) {
    out.push({
      id: `pem: ${id}`,
      kind: "pem",
      bytes: typeof b === "string" ? Uint8Array.from(Buffer.from(b, "utf8")) : b,
    });
  }
  if (casesDir) {
    const files = fixtureFileCases(casesDir);
    out.push(...files);
    // The distinct certificates of the fixtures, each mutated.
    const seen = new Set<string>();
    const certs: Array<[string, Uint8Array]> = [];
    for (const f of files.filter((c) => c.kind === "pem")) {
      const text = Buffer.from(f.bytes).toString("latin1");
      for (const m of text.matchAll(
        /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g,
      )) {
        const der = Uint8Array.from(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
        const key = Buffer.from(der).toString("hex");
        if (der.length > 0 && !seen.has(key)) {
          seen.add(key);
          certs.push([`fixture certificate ${certs.length} (${f.id.slice("pem: fixture ".length)})`, der]);
        }
      }
    }
    for (const [id, der] of certs) out.push({ id: `cert: ${id}`, kind: "cert", bytes: der });
    for (const [id, der] of certMutationCases(certs, mutationsPerCert))
      out.push({ id: `cert: ${id}`, kind: "cert", bytes: der });
    const pair = out.find((c) => c.id.startsWith("pair: fixture good/"));
    if (pair)
      out.push(...pairCases(Buffer.from(pair.bytes).toString("latin1"), Buffer.from(pair.key!).toString("latin1")));
  }
  return out;
}
