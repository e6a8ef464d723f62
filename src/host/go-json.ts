/**
 * Go's encoding/json syntax check (`checkValid`, which json.Unmarshal runs before decoding), with its error texts
 * verbatim: Go's encoding/json scanner.go (stateBeginValue … stateEndTop, quoteChar) and `SyntaxError` ("unexpected
 * end of JSON input"), unchanged from Go 1.19 to 1.25. Returns null for a valid document.
 */

/** scanner.go quoteChar: `'\''`, `'"'`, else strconv.Quote's escape inside single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const s = JSON.stringify(String.fromCharCode(c));
  let inner = s.slice(1, -1);
  // strconv.Quote writes \a \b \f \n \r \t \v and \x.. for other control bytes, \u00.. never.
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };
  if (named[c]) inner = named[c]!;
  else if (c < 0x20 || c === 0x7f) inner = `\\x${c.toString(16).padStart(2, "0")}`;
  // string(byte) is the rune U+0080-U+00FF: printable ones as they are, the others as \u00XX.
  else if ((c >= 0x80 && c < 0xa0) || c === 0xad) inner = `\\u00${c.toString(16)}`;
  else if (c >= 0xa0) inner = String.fromCharCode(c);
  return `'${inner}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class Stop extends Error {}

/**
 * `unmarshal`: json.Unmarshal (the whole input must be one value). `decoder`: json.NewDecoder(r).Decode, as dockerd
 * before v23 read daemon.json: an input of white space only is `EOF`, one that ends inside the value `unexpected
 * EOF` (io.ErrUnexpectedEOF), and anything after the first complete value is left unread.
 */
export type GoJsonMode = "unmarshal" | "decoder";

export function goJsonSyntaxError(b: Buffer, mode: GoJsonMode = "unmarshal"): string | null {
  return goJsonScan(b, mode).error;
}

/** The syntax error (or null) and, for a valid input, where its first value ends (what a Decoder reads). */
export function goJsonScan(b: Buffer, mode: GoJsonMode = "unmarshal"): { error: string | null; end: number } {
  let i = 0;
  const fail = (c: number, context: string): never => {
    throw new Stop(`invalid character ${quoteChar(c)} ${context}`);
  };
  const eof = (): never => {
    throw new Stop(mode === "decoder" ? "unexpected EOF" : "unexpected end of JSON input");
  };
  const peek = () => (i < b.length ? b[i]! : -1);
  const skip = () => {
    while (i < b.length && isSpace(b[i]!)) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      const c = peek();
      if (c < 0) eof();
      if (c !== word.charCodeAt(k)) fail(c, `in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      i++;
    }
  };
  const str = () => {
    i++; // the opening quote
    for (;;) {
      const c = peek();
      if (c < 0) eof();
      i++;
      if (c === 0x22) return;
      if (c === 0x5c) {
        const e = peek();
        if (e < 0) eof();
        i++;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            const h = peek();
            if (h < 0) eof();
            if (!isHex(h)) fail(h, "in \\u hexadecimal character escape");
            i++;
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) fail(e, "in string escape code");
      } else if (c < 0x20) fail(c, "in string literal");
    }
  };
  const num = () => {
    if (peek() === 0x2d) {
      i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, "in numeric literal");
    }
    if (peek() === 0x30) i++;
    else while (isDigit(peek())) i++;
    if (peek() === 0x2e) {
      i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, "after decimal point in numeric literal");
      while (isDigit(peek())) i++;
    }
    if (peek() === 0x65 || peek() === 0x45) {
      i++;
      if (peek() === 0x2b || peek() === 0x2d) i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, "in exponent of numeric literal");
      while (isDigit(peek())) i++;
    }
  };
  const value = (): void => {
    skip();
    const c = peek();
    if (c < 0) eof();
    if (c === 0x7b) {
      i++;
      skip();
      if (peek() === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        skip();
        const k = peek();
        if (k < 0) eof();
        if (k !== 0x22) fail(k, "looking for beginning of object key string");
        str();
        skip();
        const colon = peek();
        if (colon < 0) eof();
        if (colon !== 0x3a) fail(colon, "after object key");
        i++;
        value();
        skip();
        const next = peek();
        if (next < 0) eof();
        i++;
        if (next === 0x7d) return;
        if (next !== 0x2c) fail(next, "after object key:value pair");
      }
    }
    if (c === 0x5b) {
      i++;
      skip();
      if (peek() === 0x5d) {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        const next = peek();
        if (next < 0) eof();
        i++;
        if (next === 0x5d) return;
        if (next !== 0x2c) fail(next, "after array element");
      }
    }
    if (c === 0x22) return str();
    if (c === 0x2d || isDigit(c)) return num();
    if (c === 0x74) return (i++, literal("true"));
    if (c === 0x66) return (i++, literal("false"));
    if (c === 0x6e) return (i++, literal("null"));
    fail(c, "looking for beginning of value");
  };
  try {
    if (mode === "decoder") {
      skip();
      if (i >= b.length) return { error: "EOF", end: i };
      value();
      return { error: null, end: i };
    }
    value();
    skip();
    if (i < b.length) fail(b[i]!, "after top-level value");
    return { error: null, end: i };
  } catch (e) {
    if (e instanceof Stop) return { error: e.message, end: i };
    throw e;
  }
}
