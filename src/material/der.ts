/**
 * A strict DER reader with the acceptance rules of golang.org/x/crypto/cryptobyte, which Go's
 * crypto/x509 parser is built on. Go rejects what this rejects: high-tag-number identifiers,
 * indefinite or non-minimal lengths, non-minimal INTEGERs, DER-invalid BOOLEANs and BIT STRINGs.
 * Mirroring those rules is what lets certsd-lint say "Go drops this certificate" with confidence.
 */

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  ENUMERATED: 0x0a,
  UTF8String: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
} as const;

/** Context-specific tag number n, as cryptobyte's `Tag(n).ContextSpecific()` (optionally `.Constructed()`). */
export function contextTag(n: number, constructed = false): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export interface DerElement {
  tag: number;
  /** The whole element: identifier, length and content. */
  element: Uint8Array;
  /** The content octets only. */
  content: Uint8Array;
}

export interface DerInteger {
  /** Two's-complement big-endian content octets, as encoded. */
  bytes: Uint8Array;
  negative: boolean;
}

export class DerReader {
  private pos = 0;

  constructor(private readonly data: Uint8Array) {}

  empty(): boolean {
    return this.pos >= this.data.length;
  }

  /** What has not been consumed yet. */
  rest(): Uint8Array {
    return this.data.subarray(this.pos);
  }

  peekTag(tag: number): boolean {
    return this.pos < this.data.length && this.data[this.pos] === tag;
  }

  /** cryptobyte's readASN1: one element of any tag, or null when the encoding is not strict DER. */
  readAny(): DerElement | null {
    const s = this.data;
    const start = this.pos;
    if (s.length - start < 2) return null;
    const tag = s[start]!;
    const lenByte = s[start + 1]!;
    if ((tag & 0x1f) === 0x1f) return null; // high-tag-number form is not supported by cryptobyte
    let headerLen: number;
    let length: number;
    if ((lenByte & 0x80) === 0) {
      headerLen = 2;
      length = lenByte;
    } else {
      const lenLen = lenByte & 0x7f;
      if (lenLen === 0 || lenLen > 4 || s.length - start < 2 + lenLen) return null;
      let len32 = 0;
      for (let i = 0; i < lenLen; i++) len32 = len32 * 256 + s[start + 2 + i]!;
      if (len32 < 128) return null; // must have used the short form
      if (s[start + 2] === 0) return null; // leading zero octet: not minimal
      headerLen = 2 + lenLen;
      length = len32;
    }
    if (s.length - start - headerLen < length) return null;
    const end = start + headerLen + length;
    this.pos = end;
    return { tag, element: s.subarray(start, end), content: s.subarray(start + headerLen, end) };
  }

  /** cryptobyte's ReadASN1: the content of the next element, which must carry `tag`. */
  read(tag: number): Uint8Array | null {
    const el = this.readAny();
    if (!el || el.tag !== tag) return null;
    return el.content;
  }

  /** cryptobyte's ReadASN1Element: the whole next element, which must carry `tag`. */
  readElement(tag: number): Uint8Array | null {
    const el = this.readAny();
    if (!el || el.tag !== tag) return null;
    return el.element;
  }

  /** cryptobyte's ReadOptionalASN1: absent is fine, present-but-malformed is not. */
  readOptional(tag: number): { present: boolean; content: Uint8Array } | null {
    if (!this.peekTag(tag)) return { present: false, content: new Uint8Array(0) };
    const content = this.read(tag);
    return content ? { present: true, content } : null;
  }

  skipOptional(tag: number): boolean {
    if (!this.peekTag(tag)) return true;
    return this.readAny() !== null;
  }

  readInteger(tag: number = Tag.INTEGER): DerInteger | null {
    const c = this.read(tag);
    if (!c || !validInteger(c)) return null;
    return { bytes: c, negative: (c[0]! & 0x80) !== 0 };
  }

  /** An INTEGER that must fit Go's int (int64), as cryptobyte's asn1Signed requires. */
  readSmallInteger(tag: number = Tag.INTEGER): bigint | null {
    const i = this.readInteger(tag);
    if (!i || i.bytes.length > 8) return null;
    return integerValue(i);
  }

  readBoolean(): boolean | null {
    const c = this.read(Tag.BOOLEAN);
    if (!c || c.length !== 1) return null;
    if (c[0] === 0) return false;
    if (c[0] === 0xff) return true;
    return null;
  }

  readBitString(): { unusedBits: number; bytes: Uint8Array } | null {
    const c = this.read(Tag.BIT_STRING);
    if (!c || c.length === 0) return null;
    const unusedBits = c[0]!;
    if (unusedBits > 7 || (c.length === 1 && unusedBits > 0)) return null;
    if ((c[c.length - 1]! & ((1 << unusedBits) - 1)) !== 0) return null;
    return { unusedBits, bytes: c.subarray(1) };
  }

  /**
   * An OBJECT IDENTIFIER in dotted form, or null when cryptobyte would refuse it. `rejectPadding`: whether a
   * sub-identifier may start with 0x80 (cryptobyte refuses it from x/crypto v0.9.0, vendored in Go 1.21).
   */
  readOid(rejectPadding = true): string | null {
    const c = this.read(Tag.OBJECT_IDENTIFIER);
    return c ? decodeOid(c, rejectPadding) : null;
  }
}

/** cryptobyte's checkASN1Integer: non-empty and minimally encoded. */
export function validInteger(c: Uint8Array): boolean {
  if (c.length === 0) return false;
  if (c.length === 1) return true;
  if (c[0] === 0x00 && (c[1]! & 0x80) === 0) return false;
  if (c[0] === 0xff && (c[1]! & 0x80) === 0x80) return false;
  return true;
}

export function integerValue(i: DerInteger): bigint {
  let v = 0n;
  for (const b of i.bytes) v = (v << 8n) | BigInt(b);
  if (i.negative) v -= 1n << BigInt(i.bytes.length * 8);
  return v;
}

/** Magnitude of a non-negative INTEGER without leading zero octets (for comparing moduli). */
export function unsignedMagnitude(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** Decodes OID content octets as cryptobyte's readBase128Int does (at most 5 octets and 31 bits per component). */
export function decodeOid(c: Uint8Array, rejectPadding = true): string | null {
  if (c.length === 0) return null;
  const parts: number[] = [];
  let i = 0;
  let first = true;
  while (i < c.length) {
    let v = 0;
    let started = false;
    for (let n = 0; ; n++) {
      if (i >= c.length || n === 5) return null;
      const b = c[i++]!;
      if (rejectPadding && !started && b === 0x80) return null; // padding: not minimal
      started = true;
      if (v >= 1 << (31 - 7)) return null; // overflow of Go's 31-bit limit
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (first) {
      if (v < 80) parts.push(Math.floor(v / 40), v % 40);
      else parts.push(2, v - 80);
      first = false;
    } else {
      parts.push(v);
    }
  }
  return parts.join(".");
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
