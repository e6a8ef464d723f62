/**
 * The part of Go's encoding/asn1 that crypto/x509 uses to parse private keys (asn1.Unmarshal into pkcs1PrivateKey,
 * pkcs8, ecPrivateKey), ported rule for rule from golang/go src/encoding/asn1/asn1.go and common.go (Go 1.19;
 * the rules used here are unchanged up to Go 1.25). It is NOT cryptobyte: encoding/asn1 accepts high-tag-number
 * identifiers, lets a SEQUENCE carry extra elements after its last field, skips an optional field whose tag does
 * not match without looking at its length, and does not check that an explicit tag's length covers its content;
 * but it parses every field it assigns fully (minimal INTEGERs, BIT STRING padding, OID encoding).
 *
 * A schema describes the Go struct; `unmarshal` returns the values or Go's error text. It never throws.
 */

export type Asn1Schema =
  | { kind: "int" } // Go int (int64 on 64-bit platforms): parseInt64
  | { kind: "bigint" } // *big.Int: parseBigInt
  | { kind: "bytes" } // []byte: OCTET STRING
  | { kind: "oid" } // asn1.ObjectIdentifier
  | { kind: "bitstring" } // asn1.BitString
  | { kind: "raw" } // asn1.RawValue
  | { kind: "struct"; fields: ReadonlyArray<readonly [string, Asn1Schema, FieldParams?]> }
  | { kind: "sliceOf"; elem: Asn1Schema };

export interface FieldParams {
  optional?: boolean;
  explicit?: boolean;
  tag?: number;
}

export interface RawValue {
  class: number;
  tag: number;
  isCompound: boolean;
  bytes: Uint8Array;
  fullBytes: Uint8Array;
}

export interface BitString {
  bytes: Uint8Array;
  bitLength: number;
}

export type Asn1Value = bigint | Uint8Array | number[] | BitString | RawValue | Asn1Struct | Asn1Value[] | undefined;
export interface Asn1Struct {
  [field: string]: Asn1Value;
}

class Asn1Error extends Error {}

const fail = (msg: string): never => {
  throw new Asn1Error(`asn1: ${msg}`);
};

const CLASS_UNIVERSAL = 0;
const CLASS_CONTEXT = 2;
const TAG_INTEGER = 2;
const TAG_BIT_STRING = 3;
const TAG_OCTET_STRING = 4;
const TAG_OID = 6;
const TAG_SEQUENCE = 16;

interface TagAndLength {
  class: number;
  tag: number;
  length: number;
  isCompound: boolean;
}

function parseBase128Int(b: Uint8Array, initOffset: number): [number, number] {
  let offset = initOffset;
  let ret = 0;
  for (let shifted = 0; offset < b.length; shifted++) {
    // 5 * 7 bits per byte == 35 bits of data: non-minimal or too large for an int32.
    if (shifted === 5) fail("structure error: base 128 integer too large");
    const c = b[offset]!;
    if (shifted === 0 && c === 0x80) fail("syntax error: integer is not minimally encoded");
    ret = ret * 128 + (c & 0x7f);
    offset++;
    if ((c & 0x80) === 0) {
      if (ret > 0x7fffffff) fail("structure error: base 128 integer too large");
      return [ret, offset];
    }
  }
  return fail("syntax error: truncated base 128 integer");
}

export function parseTagAndLength(b: Uint8Array, initOffset: number): [TagAndLength, number] {
  let offset = initOffset;
  if (offset >= b.length) fail("internal error in parseTagAndLength");
  let c = b[offset++]!;
  const ret: TagAndLength = { class: c >> 6, isCompound: (c & 0x20) === 0x20, tag: c & 0x1f, length: 0 };
  if (ret.tag === 0x1f) {
    [ret.tag, offset] = parseBase128Int(b, offset);
    if (ret.tag < 0x1f) fail("syntax error: non-minimal tag");
  }
  if (offset >= b.length) fail("syntax error: truncated tag or length");
  c = b[offset++]!;
  if ((c & 0x80) === 0) {
    ret.length = c & 0x7f;
  } else {
    const numBytes = c & 0x7f;
    if (numBytes === 0) fail("syntax error: indefinite length found (not DER)");
    for (let i = 0; i < numBytes; i++) {
      if (offset >= b.length) fail("syntax error: truncated tag or length");
      c = b[offset++]!;
      if (ret.length >= 1 << 23) fail("structure error: length too large");
      ret.length = ret.length * 256 + c;
      if (ret.length === 0) fail("structure error: superfluous leading zeros in length");
    }
    if (ret.length < 0x80) fail("structure error: non-minimal length");
  }
  return [ret, offset];
}

function checkInteger(b: Uint8Array): void {
  if (b.length === 0) fail("structure error: empty integer");
  if (b.length === 1) return;
  if ((b[0] === 0 && (b[1]! & 0x80) === 0) || (b[0] === 0xff && (b[1]! & 0x80) === 0x80)) {
    fail("structure error: integer not minimally-encoded");
  }
}

function twosComplement(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (b.length > 0 && (b[0]! & 0x80) !== 0) v -= 1n << BigInt(b.length * 8);
  return v;
}

function parseInt64(b: Uint8Array): bigint {
  checkInteger(b);
  if (b.length > 8) fail("structure error: integer too large");
  return twosComplement(b);
}

function parseBigInt(b: Uint8Array): bigint {
  checkInteger(b);
  return twosComplement(b);
}

function parseBitString(b: Uint8Array): BitString {
  if (b.length === 0) fail("syntax error: zero length BIT STRING");
  const padding = b[0]!;
  if (padding > 7 || (b.length === 1 && padding > 0) || (b[b.length - 1]! & ((1 << padding) - 1)) !== 0) {
    fail("syntax error: invalid padding bits in BIT STRING");
  }
  return { bitLength: (b.length - 1) * 8 - padding, bytes: b.subarray(1) };
}

function parseObjectIdentifier(b: Uint8Array): number[] {
  if (b.length === 0) fail("syntax error: zero length OBJECT IDENTIFIER");
  let [v, offset] = parseBase128Int(b, 0);
  const s = v < 80 ? [Math.floor(v / 40), v % 40] : [2, v - 80];
  while (offset < b.length) {
    [v, offset] = parseBase128Int(b, offset);
    s.push(v);
  }
  return s;
}

/** getUniversalType: [matchAny, tag, isCompound]. */
function universalType(s: Asn1Schema): [boolean, number, boolean] {
  switch (s.kind) {
    case "raw":
      return [true, -1, false];
    case "oid":
      return [false, TAG_OID, false];
    case "bitstring":
      return [false, TAG_BIT_STRING, false];
    case "int":
    case "bigint":
      return [false, TAG_INTEGER, false];
    case "bytes":
      return [false, TAG_OCTET_STRING, false];
    case "struct":
    case "sliceOf":
      return [false, TAG_SEQUENCE, true];
  }
}

function parseField(s: Asn1Schema, b: Uint8Array, initOffset: number, params: FieldParams): [Asn1Value, number] {
  let offset = initOffset;
  // Out of data: optional elements may be missing at the end.
  if (offset === b.length) {
    if (!params.optional) fail("syntax error: sequence truncated");
    return [undefined, offset];
  }
  let t: TagAndLength;
  [t, offset] = parseTagAndLength(b, offset);
  if (params.explicit) {
    if (offset === b.length) fail("structure error: explicit tag has no child");
    if (t.class === CLASS_CONTEXT && t.tag === (params.tag ?? 0) && (t.length === 0 || t.isCompound)) {
      if (s.kind === "raw") {
        // The inner element is not parsed for RawValues.
      } else if (t.length > 0) {
        // The explicit tag's own length is not checked against its content.
        [t, offset] = parseTagAndLength(b, offset);
      } else {
        fail("structure error: zero length explicit tag was not an asn1.Flag");
      }
    } else {
      if (params.optional) return [undefined, initOffset];
      fail("structure error: explicitly tagged member didn't match");
    }
  }
  const [matchAny, universalTag, compoundType] = universalType(s);
  let matchAnyClassAndTag = matchAny;
  let expectedClass = CLASS_UNIVERSAL;
  let expectedTag = universalTag;
  if (!params.explicit && params.tag !== undefined) {
    expectedClass = CLASS_CONTEXT;
    expectedTag = params.tag;
    matchAnyClassAndTag = false;
  }
  if (
    (!matchAnyClassAndTag && (t.class !== expectedClass || t.tag !== expectedTag)) ||
    (!matchAny && t.isCompound !== compoundType)
  ) {
    if (params.optional) return [undefined, initOffset];
    fail(
      `structure error: tags don't match (${expectedTag} vs {class:${t.class} tag:${t.tag} length:${t.length} isCompound:${t.isCompound}})`,
    );
  }
  if (offset + t.length > b.length) fail("syntax error: data truncated");
  const inner = b.subarray(offset, offset + t.length);
  offset += t.length;
  switch (s.kind) {
    case "raw":
      return [
        {
          class: t.class,
          tag: t.tag,
          isCompound: t.isCompound,
          bytes: inner,
          fullBytes: b.subarray(initOffset, offset),
        },
        offset,
      ];
    case "oid":
      return [parseObjectIdentifier(inner), offset];
    case "bitstring":
      return [parseBitString(inner), offset];
    case "bigint":
      return [parseBigInt(inner), offset];
    case "int":
      return [parseInt64(inner), offset];
    case "bytes":
      return [inner, offset];
    case "struct": {
      const out: Asn1Struct = {};
      let innerOffset = 0;
      for (const [name, fs, fp] of s.fields) {
        let v: Asn1Value;
        [v, innerOffset] = parseField(fs, inner, innerOffset, fp ?? {});
        out[name] = v;
      }
      // Extra bytes at the end of the SEQUENCE are allowed.
      return [out, offset];
    }
    case "sliceOf":
      return [parseSequenceOf(s.elem, inner), offset];
  }
}

function parseSequenceOf(elem: Asn1Schema, b: Uint8Array): Asn1Value[] {
  const [matchAny, expectedTag, compoundType] = universalType(elem);
  let n = 0;
  for (let offset = 0; offset < b.length;) {
    let t: TagAndLength;
    [t, offset] = parseTagAndLength(b, offset);
    if (!matchAny && (t.class !== CLASS_UNIVERSAL || t.isCompound !== compoundType || t.tag !== expectedTag)) {
      fail("structure error: sequence tag mismatch");
    }
    if (offset + t.length > b.length) fail("syntax error: truncated sequence");
    offset += t.length;
    n++;
  }
  const out: Asn1Value[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    let v: Asn1Value;
    [v, offset] = parseField(elem, b, offset, {});
    out.push(v);
  }
  return out;
}

/** asn1.Unmarshal(b, &value): the value and the bytes after it, or Go's error text. */
export function unmarshal(b: Uint8Array, s: Asn1Schema): { value: Asn1Value; rest: Uint8Array } | { error: string } {
  try {
    const [value, offset] = parseField(s, b, 0, {});
    return { value, rest: b.subarray(offset) };
  } catch (e) {
    if (e instanceof Asn1Error) return { error: e.message };
    throw e;
  }
}
