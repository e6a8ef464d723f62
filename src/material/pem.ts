/**
 * PEM decoding exactly as Go's encoding/pem.Decode does it (golang/go src/encoding/pem/pem.go @ bbf8f423abc9),
 * plus a lenient second look that explains blocks Go could not see.
 *
 * Go finds a block only when "-----BEGIN " starts the input or follows a '\n'; so a UTF-8 BOM or indentation
 * hides it. Lines "Key: value" right after the BEGIN line are headers. A block with bad base64, no END line or a
 * mismatched END type is skipped and decoding continues. CRLF and trailing blanks are fine.
 */

import { type GoProfile, usesRewrittenPemDecode } from "./go-profile.js";

export interface PemBlock {
  /**
   * The type as text: Go's string(typeLine) printed (error texts use %v, raw bytes), so bytes that are not UTF-8
   * show as U+FFFD, as they do in the UTF-8 output Go writes them to. Never Latin-1 (that would re-encode 0xff as ÿ).
   */
  type: string;
  /** The type's bytes exactly. */
  typeBytes: Uint8Array;
  /** Header lines, in file order (Go keeps them in a map; only presence and values matter to it). */
  headers: Array<[string, string]>;
  bytes: Uint8Array;
  /** Byte offset of the "-----BEGIN" in the file, and its 1-based line number. */
  offset: number;
  line: number;
  /** Byte offset where the rest Go's pem.Decode returns with this block begins (set by decodeAll). */
  end?: number;
}

/** A BEGIN line Go's decoder did not turn into a block, and why. */
export interface HiddenBlock {
  type: string;
  line: number;
  reason: "bom" | "indented" | "no-end" | "end-mismatch" | "bad-base64" | "malformed-begin" | "trailing-text";
}

export interface PemScan {
  blocks: PemBlock[];
  hidden: HiddenBlock[];
  /** The file starts with a UTF-8 byte-order mark. */
  bom: boolean;
  /** The file looks like UTF-16 text (NUL bytes between ASCII characters). */
  utf16: boolean;
  crlf: boolean;
}

const PEM_START = Buffer.from("\n-----BEGIN ");
const PEM_END = Buffer.from("\n-----END ");
const END_OF_LINE = Buffer.from("-----");

interface Line {
  line: Buffer;
  rest: Buffer;
  consumed: number;
}

function getLine(data: Buffer): Line {
  let i = data.indexOf(0x0a);
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === 0x0d) i--;
  }
  let k = i;
  while (k > 0 && (data[k - 1] === 0x20 || data[k - 1] === 0x09)) k--;
  return { line: data.subarray(0, k), rest: data.subarray(j), consumed: j };
}

function trimSpace(b: Buffer): string {
  // Go's bytes.TrimSpace trims ASCII and Unicode white space; header lines are ASCII in practice.
  return b.toString("utf8").trim();
}

const B64 = new Int16Array(256).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach((c, i) => {
  B64[c.charCodeAt(0)] = i;
});

/**
 * Go's base64.StdEncoding.Decode on PEM body bytes (spaces and tabs already removed): '\r' and '\n' are skipped,
 * padding is required, nothing may follow it, and (not being Strict) non-zero trailing bits are accepted. Returns
 * null where Go returns an error.
 */
export function goBase64Decode(src: Buffer): Buffer | null {
  const vals: number[] = [];
  let padding = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) {
      padding++;
      continue;
    }
    if (padding > 0) return null; // data after '='
    const v = B64[c]!;
    if (v < 0) return null;
    vals.push(v);
  }
  const rem = vals.length % 4;
  if (rem === 1) return null;
  if (padding > 0) {
    if (rem === 0 || rem + padding !== 4) return null;
  } else if (rem !== 0) {
    return null; // StdEncoding requires padding
  }
  const out = Buffer.alloc(Math.floor((vals.length * 6) / 8));
  let o = 0;
  for (let i = 0; i + 3 < vals.length; i += 4) {
    const n = (vals[i]! << 18) | (vals[i + 1]! << 12) | (vals[i + 2]! << 6) | vals[i + 3]!;
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rem === 2) {
    const n = (vals[vals.length - 2]! << 18) | (vals[vals.length - 1]! << 12);
    out[o++] = (n >> 16) & 0xff;
  } else if (rem === 3) {
    const n = (vals[vals.length - 3]! << 18) | (vals[vals.length - 2]! << 12) | (vals[vals.length - 1]! << 6);
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
  }
  return out.subarray(0, o);
}

function removeSpacesAndTabs(b: Buffer): Buffer {
  if (!b.includes(0x20) && !b.includes(0x09)) return b;
  return Buffer.from(b.filter((c) => c !== 0x20 && c !== 0x09));
}

function lastIndexOf(hay: Buffer, needle: Buffer, end: number): number {
  return hay.subarray(0, end).lastIndexOf(needle);
}

/** One call of Go's pem.Decode: the next block and the rest, or null. */
function decodeOne(data: Buffer): { block: Omit<PemBlock, "offset" | "line">; rest: Buffer; at: number } | null {
  let rest = data;
  let base = 0; // offset of `rest` within `data`
  let endTrailerIndex = 0;
  for (;;) {
    // Go 1.24.8/1.25.2 rewrote Decode (CVE-2025-61723); malformed line endings could then make it slice out of
    // range (golang/go#76027, fixed by CL 714200). The intended behaviour, kept here, is to resume after the END
    // line already examined; the clamp keeps that true for inputs that made Go panic.
    endTrailerIndex = Math.min(Math.max(endTrailerIndex, 0), rest.length);
    rest = rest.subarray(endTrailerIndex);
    base += endTrailerIndex;
    let endIndex = rest.indexOf(PEM_END);
    if (endIndex < 0) return null;
    endTrailerIndex = endIndex + PEM_END.length;
    const beginIndex = lastIndexOf(rest, PEM_START.subarray(1), endIndex);
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== 0x0a)) continue;
    const at = base + beginIndex;
    const skip = beginIndex + PEM_START.length - 1;
    rest = rest.subarray(skip);
    base += skip;
    endIndex -= skip;
    endTrailerIndex -= skip;

    const tl = getLine(rest);
    rest = tl.rest;
    base += tl.consumed;
    if (
      tl.line.length < END_OF_LINE.length ||
      !tl.line.subarray(tl.line.length - END_OF_LINE.length).equals(END_OF_LINE)
    ) {
      // eslint-disable-next-line no-useless-assignment -- line for line with Go's encoding/pem (the next round resets it)
      endIndex -= tl.consumed;
      endTrailerIndex -= tl.consumed;
      continue;
    }
    endIndex -= tl.consumed;
    endTrailerIndex -= tl.consumed;
    const typeLine = tl.line.subarray(0, tl.line.length - END_OF_LINE.length);
    const headers: Array<[string, string]> = [];
    let aborted = false;
    for (;;) {
      if (rest.length === 0) {
        aborted = true;
        break;
      }
      const hl = getLine(rest);
      const colon = hl.line.indexOf(0x3a);
      if (colon < 0) break;
      headers.push([trimSpace(hl.line.subarray(0, colon)), trimSpace(hl.line.subarray(colon + 1))]);
      rest = hl.rest;
      base += hl.consumed;
      endIndex -= hl.consumed;
      endTrailerIndex -= hl.consumed;
    }
    if (aborted) return null; // Go returns nil, data: decoding stops for the whole input
    if (headers.length > 0 && endIndex < 0) continue;
    const endTrailer = rest.subarray(endTrailerIndex);
    const endTrailerLen = typeLine.length + END_OF_LINE.length;
    if (endTrailer.length < endTrailerLen) continue;
    const restOfEndLine = endTrailer.subarray(endTrailerLen);
    const trailer = endTrailer.subarray(0, endTrailerLen);
    if (
      !trailer.subarray(0, typeLine.length).equals(typeLine) ||
      !trailer.subarray(typeLine.length).equals(END_OF_LINE)
    )
      continue;
    if (getLine(restOfEndLine).line.length !== 0) continue;
    let bytes: Buffer = Buffer.alloc(0);
    if (endIndex > 0) {
      const decoded = goBase64Decode(removeSpacesAndTabs(rest.subarray(0, endIndex)));
      if (!decoded) continue;
      bytes = decoded;
    }
    const after = getLine(rest.subarray(endIndex + PEM_END.length - 1));
    return {
      block: { type: typeLine.toString("utf8"), typeBytes: Uint8Array.from(typeLine), headers, bytes },
      rest: after.rest,
      at,
    };
  }
}

/**
 * One call of pem.Decode as Go did it before the CVE-2025-61723 rewrite (src/encoding/pem/pem.go as of go1.19,
 * unchanged until go1.24.7 / go1.25.1): find "-----BEGIN " at the start or after a '\n', read the type line,
 * headers, then the first END line after them.
 */
function decodeOneLegacy(data: Buffer): { block: Omit<PemBlock, "offset" | "line">; rest: Buffer; at: number } | null {
  let rest = data;
  let base = 0;
  for (;;) {
    let at: number;
    if (rest.subarray(0, PEM_START.length - 1).equals(PEM_START.subarray(1))) {
      at = base;
      rest = rest.subarray(PEM_START.length - 1);
      base += PEM_START.length - 1;
    } else {
      const i = rest.indexOf(PEM_START);
      if (i < 0) return null;
      at = base + i + 1;
      rest = rest.subarray(i + PEM_START.length);
      base += i + PEM_START.length;
    }
    const tl = getLine(rest);
    rest = tl.rest;
    base += tl.consumed;
    if (
      tl.line.length < END_OF_LINE.length ||
      !tl.line.subarray(tl.line.length - END_OF_LINE.length).equals(END_OF_LINE)
    )
      continue;
    const typeLine = tl.line.subarray(0, tl.line.length - END_OF_LINE.length);
    const headers = new Map<string, string>();
    const order: Array<[string, string]> = [];
    for (;;) {
      if (rest.length === 0) return null; // Go returns nil, data
      const hl = getLine(rest);
      const colon = hl.line.indexOf(0x3a);
      if (colon < 0) break;
      const k = trimSpace(hl.line.subarray(0, colon));
      const v = trimSpace(hl.line.subarray(colon + 1));
      if (!headers.has(k)) order.push([k, v]);
      headers.set(k, v);
      rest = hl.rest;
      base += hl.consumed;
    }
    let endIndex: number;
    let endTrailerIndex: number;
    if (headers.size === 0 && rest.subarray(0, PEM_END.length - 1).equals(PEM_END.subarray(1))) {
      endIndex = 0;
      endTrailerIndex = PEM_END.length - 1;
    } else {
      endIndex = rest.indexOf(PEM_END);
      endTrailerIndex = endIndex + PEM_END.length;
    }
    if (endIndex < 0) continue;
    const endTrailerAll = rest.subarray(endTrailerIndex);
    const endTrailerLen = typeLine.length + END_OF_LINE.length;
    if (endTrailerAll.length < endTrailerLen) continue;
    const restOfEndLine = endTrailerAll.subarray(endTrailerLen);
    const endTrailer = endTrailerAll.subarray(0, endTrailerLen);
    if (
      !endTrailer.subarray(0, typeLine.length).equals(typeLine) ||
      !endTrailer.subarray(typeLine.length).equals(END_OF_LINE)
    )
      continue;
    if (getLine(restOfEndLine).line.length !== 0) continue;
    const decoded = goBase64Decode(removeSpacesAndTabs(rest.subarray(0, endIndex)));
    if (!decoded) continue;
    const after = getLine(rest.subarray(endIndex + PEM_END.length - 1));
    return {
      block: {
        type: typeLine.toString("utf8"),
        typeBytes: Uint8Array.from(typeLine),
        headers: order.map(([k]) => [k, headers.get(k)!]),
        bytes: decoded,
      },
      rest: after.rest,
      at,
    };
  }
}

/**
 * Line numbers of increasing offsets in one buffer, counted once from the previous offset: linear in the file, not
 * in (blocks × file), for a bundle of thousands of certificates.
 */
function lineCounter(data: Buffer): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    const end = Math.min(offset, data.length);
    for (let i = data.indexOf(0x0a, at); i !== -1 && i < end; i = data.indexOf(0x0a, i + 1)) line++;
    at = end;
    return line;
  };
}

/**
 * Every block Go's pem.Decode loop finds in `data`, in order, as the Go of `go` decodes (default: the rewritten
 * decoder of Go ≥ 1.24.8 / 1.25.2; older toolchains use the original one, see usesRewrittenPemDecode).
 */
export function decodeAll(data: Buffer, go?: GoProfile): PemBlock[] {
  const one = !go || usesRewrittenPemDecode(go) ? decodeOne : decodeOneLegacy;
  const blocks: PemBlock[] = [];
  let rest = data;
  let consumedBefore = 0;
  const lineNumberAt = lineCounter(data);
  while (rest.length > 0) {
    const r = one(rest);
    if (!r) break;
    const offset = consumedBefore + r.at;
    const end = consumedBefore + rest.length - r.rest.length;
    blocks.push({ ...r.block, offset, line: lineNumberAt(offset), end });
    consumedBefore = end;
    rest = r.rest;
  }
  return blocks;
}

const BEGIN_ANYWHERE = /-----BEGIN ([^\r\n]*?)-----/g;

/**
 * Decodes `data` as Go does and, separately, finds BEGIN markers Go did not turn into blocks, so a finding can
 * say *why* a certificate was not seen (BOM, indentation, no END line, bad base64, ...).
 */
export function scanPem(data: Buffer, go?: GoProfile): PemScan {
  const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  const utf16 = looksUtf16(data);
  const blocks = decodeAll(data, go);
  const hidden: HiddenBlock[] = [];
  const found = new Set(blocks.map((b) => b.offset));
  const text = data.toString("latin1");
  const lineNumberAt = lineCounter(data);
  for (const m of text.matchAll(BEGIN_ANYWHERE)) {
    const offset = m.index;
    if (found.has(offset)) continue;
    const rawType = m[1] ?? ""; // one char per byte
    const type = Buffer.from(rawType, "latin1").toString("utf8"); // as PemBlock.type: UTF-8, never Latin-1
    const line = lineNumberAt(offset);
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const prefix = text.slice(lineStart, offset);
    let reason: HiddenBlock["reason"];
    if (lineStart === 0 && bom && prefix === "\xef\xbb\xbf") reason = "bom";
    else if (prefix.length > 0 && /^[ \t]+$/.test(prefix)) reason = "indented";
    else if (prefix.length > 0) reason = "malformed-begin";
    else reason = explainRejected(data.subarray(offset), rawType);
    hidden.push({ type, line, reason });
  }
  return { blocks, hidden, bom, utf16, crlf: data.includes("\r\n") };
}

/** Why Go skipped a BEGIN line that starts a line: the first check of pem.Decode that fails. */
function explainRejected(from: Buffer, type: string): HiddenBlock["reason"] {
  const endMarker = Buffer.from(`\n-----END ${type}-----`, "latin1");
  const anyEnd = from.indexOf(PEM_END);
  if (anyEnd < 0) return "no-end";
  const ownEnd = from.indexOf(endMarker);
  if (ownEnd < 0 || ownEnd > anyEnd) return "end-mismatch";
  const afterEnd = from.subarray(ownEnd + endMarker.length);
  if (getLine(afterEnd).line.length !== 0) return "trailing-text";
  return "bad-base64";
}

function looksUtf16(data: Buffer): boolean {
  if (data.length < 4) return false;
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) return true;
  const sample = data.subarray(0, Math.min(64, data.length));
  let zeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) zeros++;
  return zeros >= sample.length / 3 && sample.toString("latin1").replace(/\0/g, "").includes("-----BEGIN");
}
