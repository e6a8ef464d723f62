/**
 * go-toml's verdict and wording for a hosts.toml, on top of smol-toml's parse.
 *
 * containerd v1.x parses hosts.toml with go-toml v1 (`toml.LoadBytes`; containerd v1.6.20 vendors v1.9.5), v2.x
 * with go-toml v2 (`toml.Unmarshal`; v2.0.0 vendors v2.2.3, v2.1.0 and v2.2.0 v2.2.4, v2.3.x v2.3.0). smol-toml
 * follows TOML 1.0 and words its errors its own way; go-toml differs on a few documents and words every error
 * differently. This module:
 *
 * - prepares the text the way each go-toml reads it: v1 drops a leading BOM (toml.go LoadBytes) and takes a lone CR
 *   as whitespace (lexer.go lexVoid, lexRvalue); v2 rejects a BOM (`invalid character at start of key: ï`, from
 *   unstable/parser.go parseKey on the byte 0xEF) and a lone CR (`windows new line should be \r\n`,
 *   unstable/scanner.go scanWindowsNewline), and a new line inside an inline table (parser.go parseInlineTable:
 *   whitespace there is only spaces and tabs), which smol-toml accepts;
 * - turns smol-toml's error for the mistakes people make into go-toml's text. v1: `(line, column): message`, the
 *   position being go-toml v1's (lines counted by LF only, columns in runes, a string token starting after its
 *   quote); v2: `toml: message`, with no position (errors.go DecodeError.Error). A text is `verbatim` only when it is
 *   go-toml's exact text for that mistake (checked by test/oracle/gotoml.test.ts against go-toml itself); any other
 *   error keeps smol-toml's words and is marked not verbatim.
 */
import { parse, TomlError } from "smol-toml";

export type GoTomlVersion = 1 | 2;

export interface GoTomlSyntaxError {
  /** go-toml's error text (v1 without containerd's `failed to parse TOML: ` wrapping). */
  text: string;
  verbatim: boolean;
  /** 1-based line, counting CR, LF and CRLF as line ends (for people, not go-toml's count). */
  line: number;
}

export type GoTomlParse = { ok: true; doc: Record<string, unknown>; text: string } | { ok: false; error: GoTomlSyntaxError };

/** %#U of a byte or rune, as Go prints it: U+0073 's'. */
export function goUnicodeQ(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  return printable ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}

/** Line (CR, LF and CRLF all end a line) of an offset. */
function humanLine(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length + 1;
}

/** go-toml v1's Position of an offset: lines counted by LF only, columns in runes from 1 (lexer.go read). */
function v1Pos(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf("\n");
  const col = [...before.slice(nl + 1)].length + 1;
  return `(${(before.match(/\n/g) ?? []).length + 1}, ${col})`;
}

interface Ctx {
  /** Innermost open array or inline table. */
  open: "[" | "{" | null;
  /** The string the offset is in (its opening quote), if any. */
  string: { quote: '"' | "'"; start: number; multi: boolean } | null;
  comment: boolean;
  /** Offset of the `[` of the table header the offset is in, if any. */
  header: number | null;
  /** Offset where the current key (of a key/value or inline-table entry) starts. */
  keyStart: number | null;
  /** Table header path in force (last `[…]` before the offset), as written between the brackets. */
  table: string | null;
  /** Offset of the previous non-blank character outside comments. */
  prev: number;
}

/** A small TOML lexer, enough to say where an offset is; `onInlineTable` hears of every `{` opening a value. */
function contextAt(text: string, offset: number, onInlineTable?: (at: number) => void): Ctx {
  const stack: Array<"[" | "{"> = [];
  let state: "line" | "key" | "value" | "after" = "line";
  let str: Ctx["string"] = null;
  let comment = false;
  let header: number | null = null;
  let keyStart: number | null = null;
  let table: string | null = null;
  let prev = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i]!;
    if (comment) {
      if (c === "\n" || c === "\r") comment = false;
      else continue;
    }
    if (str) {
      if (c === "\\" && str.quote === '"') {
        i++;
        continue;
      }
      if (str.multi ? text.startsWith(str.quote.repeat(3), i) : c === str.quote) {
        if (str.multi) i += 2;
        str = null;
        state = "after";
        prev = i;
      } else if (!str.multi && (c === "\n" || c === "\r")) str = null;
      continue;
    }
    if (header !== null) {
      if (c === "]") {
        table = text.slice(header + 1, i).trim();
        header = null;
        state = "after";
      } else if (c === '"' || c === "'") str = { quote: c, start: i, multi: false };
      if (c !== " " && c !== "\t") prev = i;
      continue;
    }
    if (c === "#") {
      comment = true;
      continue;
    }
    if (c === "\n" || c === "\r") {
      if (stack.length === 0) state = "line";
      continue;
    }
    if (c === " " || c === "\t") continue;
    prev = i;
    if (state === "line" && stack.length === 0 && c === "[") {
      header = i;
      continue;
    }
    if (state === "line" || (state === "key" && keyStart === null)) {
      state = "key";
      keyStart = i;
    }
    if (state === "key") {
      if (c === "=") state = "value";
      else if (c === '"' || c === "'") str = { quote: c, start: i, multi: false };
      continue;
    }
    if (state === "value" || (state === "after" && stack.length > 0)) {
      if (c === '"' || c === "'") {
        const multi = text.startsWith(c.repeat(3), i);
        str = { quote: c, start: i, multi };
        if (multi) i += 2;
        continue;
      }
      if (c === "[") {
        stack.push("[");
        state = "value";
        continue;
      }
      if (c === "{") {
        onInlineTable?.(i);
        stack.push("{");
        state = "key";
        keyStart = null;
        continue;
      }
      if (c === "]" || c === "}") {
        stack.pop();
        state = "after";
        continue;
      }
      if (c === ",") {
        if (stack[stack.length - 1] === "{") {
          state = "key";
          keyStart = null;
        } else state = "value";
        continue;
      }
      if (state === "value") state = "after";
    }
  }
  return { open: stack[stack.length - 1] ?? null, string: str, comment, header, keyStart, table, prev };
}

/** The key parts of a table header's content (`host."https://a"` → host, https://a). */
function headerParts(inner: string): string[] {
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s."']+)/g)].map((m) =>
    m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[3]!),
  );
}

/** The key written at an offset (bare or quoted), unquoted; its last dotted part too. */
function keyAt(text: string, at: number): { parts: string[] } {
  const line = text.slice(at).split(/[\r\n]/)[0]!;
  const eq = line.indexOf("=");
  return { parts: headerParts(eq >= 0 ? line.slice(0, eq) : line) };
}

const inVersion = (v: GoTomlVersion, t: string) => (v === 1 ? t : `toml: ${t}`);

/** go-toml v2 reads bytes: the first UTF-8 byte of the character at an offset. */
function firstByte(text: string, offset: number): number {
  return Buffer.from(text.slice(offset, offset + 2), "utf8")[0]!;
}

/** go-toml's wording of the syntax error smol-toml found at `offset`, when it is one of the mistakes listed here. */
function classify(orig: string, offset: number, message: string, version: GoTomlVersion): { text: string; verbatim: boolean } | null {
  const ctx = contextAt(orig, offset);
  const c = orig[offset];
  const cp = orig.codePointAt(offset);
  const v1 = version === 1;
  const at = (o: number, t: string) => ({ text: `${v1Pos(orig, o)}: ${t}`, verbatim: true });
  const v2 = (t: string) => ({ text: `toml: ${t}`, verbatim: true });
  if (message === "trying to redefine an already defined table or value") {
    const lineStart = orig.lastIndexOf("\n", offset - 1) + 1;
    const line = orig.slice(lineStart).split(/[\r\n]/)[0]!;
    if (/^\s*\[(?!\[)/.test(line)) {
      const inner = /^\s*\[(.*)\]/.exec(line)?.[1] ?? "";
      if (v1) {
        // go-toml v1 compares table headers as written (parser.go parseGroup, seenTableKeys): `[a."b"]` and
        // `[a.'b']` are not duplicates to it, and what it says then depends on what follows.
        const raw = /^\s*\[([^\]]*)\]/.exec(line)?.[1];
        const earlier = orig.slice(0, lineStart).split(/\r?\n|\r/).some((l) => /^\s*\[([^\]]*)\]/.exec(l)?.[1] === raw);
        return earlier ? at(offset, "duplicated tables") : null;
      }
      const parts = headerParts(inner);
      return v2(`table ${parts[parts.length - 1]} already exists`);
    }
    const { parts } = keyAt(orig, offset);
    if (v1) {
      const full = [...(ctx.table ? headerParts(ctx.table) : []), ...parts].join(".");
      return at(offset, `The following key was defined twice: ${full}`);
    }
    if (parts.length === 1) return v2(`key ${parts[0]} is already defined`);
    return null;
  }
  if (ctx.header !== null && !ctx.string && message === "illegal character in key") {
    // A table header that smol-toml could not read.
    if (v1) {
      const inner = orig.slice(ctx.header + 1);
      const close = inner.indexOf("]");
      if (close < 0) return at(ctx.header + 1, "unexpected token unclosed table key, was expecting a table key");
      const bad = /[^A-Za-z0-9_\-."' \t]/.exec(inner.slice(0, close).replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (m) => "_".repeat(m.length)));
      if (bad) return at(ctx.header + 1, `invalid table array key: invalid bare key character: ${bad[0]}`);
      return null;
    }
    return v2("expected character ]");
  }
  if (message === "expected comma or end of structure") {
    if (c === undefined && ctx.open === "[") return v1 ? at(offset, "unterminated array") : v2("expected character ] but the document ended here");
    if (ctx.open === "[") {
      if (v1) return at(c === '"' || c === "'" ? offset + 1 : offset, "missing comma");
      return v2("array elements must be separated by commas");
    }
    if (ctx.open === "{") {
      if (c === "}") return v1 ? at(ctx.prev, "trailing comma at the end of inline table") : v2("invalid character at start of key: }");
      if (c === undefined || c === "\n" || c === "\r") return null;
      return v1 ? at(offset, `unexpected token type in inline table: no value can start with ${String.fromCodePoint(cp!)}`) : v2("expected character ,");
    }
    return null;
  }
  if (message === "invalid value") {
    if (c === undefined) return v1 ? at(offset, "expecting a value") : v2("expected value, not eof");
    if (c === "\n" || c === "\r") {
      // `key =` and nothing after it but blank space: v1 points at the end of the document.
      if (!/^\s*$/.test(orig.slice(offset))) return null;
      return v1 ? at(orig.length, "expecting a value") : v2("incomplete number");
    }
    if (/[0-9+\-]/.test(c)) return null;
    if (v1) return at(offset, `no value can start with ${String.fromCodePoint(cp!)}`);
    const word = { t: "true", f: "false", i: "inf", n: "nan" }[c];
    return v2(word ? `expected '${word}'` : "incomplete number");
  }
  if (message === "each key-value declaration must be followed by an end-of-line") {
    if (c === undefined || c === "\r") return null;
    if (v1) {
      const lineStart = orig.lastIndexOf("\n", offset - 1) + 1;
      if (c === "]" || c === "=") return at(offset, `unexpected token ${c}`);
      if (/^\s*\[/.test(orig.slice(lineStart, offset))) return null;
      return c === "#" ? null : at(offset, `parsing error: no value can start with ${String.fromCodePoint(cp!)}`);
    }
    return v2(`expected newline but got ${goUnicodeQ(firstByte(orig, offset))}`);
  }
  if (message === "control characters are not allowed in strings" && ctx.string && !ctx.string.multi) {
    const s = ctx.string;
    if (v1) {
      if (ctx.header !== null) return null;
      if (s.quote === "'") return c === "\n" || c === "\r" ? at(s.start + 1, "unclosed string") : null;
      return at(s.start + 1, `unescaped control character U+${cp!.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    if (c === "\n") return v2(s.quote === '"' ? "basic strings cannot have new lines" : "literal strings cannot have new lines");
    if (s.quote === '"') return v2("invalid UTF-8");
    return null;
  }
  if (message === "unrecognised escape sequence" && ctx.string && ctx.string.quote === '"' && !ctx.string.multi) {
    // smol-toml points at the character after the backslash.
    const e = orig[offset - 1] === "\\" ? orig.codePointAt(offset)! : orig.codePointAt(offset + 1)!;
    if (v1) return at(ctx.string.start + 1, `invalid escape sequence: \\${String.fromCodePoint(e)}`);
    return v2(`invalid escaped character ${goUnicodeQ(e)}`);
  }
  if (message === "illegal character in key" && !ctx.string) {
    const keyStart = ctx.keyStart ?? offset;
    if (c === undefined) return v1 ? at(offset, "was expecting token =, but got EOF instead") : v2("expected = after a key, but the document ends there");
    if (keyStart === offset && ctx.open !== "{") {
      if (v1) return c === '"' || c === "'" ? null : at(offset, `parsing error: keys cannot contain ${String.fromCodePoint(cp!)} character`);
      return v2(`invalid character at start of key: ${String.fromCharCode(firstByte(orig, offset))}`);
    }
    if (v1) {
      const word = /^[A-Za-z0-9_-]+/.exec(orig.slice(offset));
      if (word && /[ \t]/.test(orig[offset - 1] ?? "")) return at(offset, `was expecting token =, but got "${word[0]}" instead`);
      if (c === '"' || c === "'" || c === "\n" || c === "\r" || c === " " || c === "\t") return null;
      return at(keyStart, `parsing error: keys cannot contain ${String.fromCodePoint(cp!)} character`);
    }
    return v2("expected character =");
  }
  return null;
}

/** The first lone CR (not part of CRLF), or -1. */
function loneCr(text: string): number {
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1)) if (text[i + 1] !== "\n") return i;
  return -1;
}

/** go-toml v2 on a lone CR: in a comment (scanComment), elsewhere between expressions (scanWindowsNewline). */
function crError(text: string, offset: number): { offset: number; text: string; verbatim: boolean } {
  const ctx = contextAt(text, offset);
  if (ctx.comment) return { offset, text: "toml: invalid character in comment", verbatim: true };
  return { offset, text: "toml: windows new line should be \\r\\n", verbatim: !ctx.string && ctx.open === null };
}

/**
 * What smol-toml accepts in an inline table and go-toml does not (parseInlineTable in both): a trailing comma, and a
 * new line (v2 only: v1's lexer skips new lines everywhere).
 */
function inlineTableIssue(text: string, version: GoTomlVersion): { offset: number; text: string } | null {
  const starts: number[] = [];
  contextAt(text, text.length, (at) => starts.push(at));
  let scannedTo = -1;
  for (const i of starts) {
    if (i < scannedTo) continue; // nested in a table already walked
    let lastComma = -1;
    let prev = i;
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      const ch = text[j]!;
      if (ch === '"' || ch === "'") {
        const multi = text.startsWith(ch.repeat(3), j);
        const close = multi ? ch.repeat(3) : ch;
        let k = j + close.length;
        for (; k < text.length && !text.startsWith(close, k); k++) {
          if (ch === '"' && text[k] === "\\") k++;
          else if (!multi && (text[k] === "\n" || text[k] === "\r")) break;
        }
        j = multi ? k + 2 : k;
        prev = j;
        lastComma = -1;
        continue;
      }
      if (ch === "#") {
        while (j + 1 < text.length && text[j + 1] !== "\n") j++;
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if ((ch === "}" || ch === "]") && depth > 0) depth--;
      else if (ch === "}") {
        if (lastComma >= 0) {
          return version === 1
            ? { offset: lastComma, text: `${v1Pos(text, lastComma)}: trailing comma at the end of inline table` }
            : { offset: j, text: "toml: invalid character at start of key: }" };
        }
        break;
      }
      if (depth > 0) {
        if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") prev = j;
        continue;
      }
      if ((ch === "\n" || ch === "\r") && version === 2) {
        const before = text[prev];
        return { offset: j, text: before === "{" || before === "," ? "toml: invalid character at start of key: \n" : "toml: expected character ," };
      }
      if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") {
        lastComma = ch === "," ? j : -1;
        prev = j;
      }
    }
    scannedTo = j;
  }
  return null;
}

/**
 * go-toml v1's reading of line ends and table headers (lexer.go), in one pass:
 * - a lone CR is a line end between expressions (lexVoid, lexRvalue skip it like LF) but not inside a comment, which
 *   runs to the next LF (lexComment): there it becomes a space, so what follows stays commented out;
 * - a table header runs from `[` to the first `]`, quotes or not (lexInsideTableKey): a `[` before it is the error
 *   `table key cannot contain ']'` (sic), so `[host."https://[::1]:5000"]` does not parse; no `]` at all is
 *   `unclosed table key`; the text up to the `]` is then parsed as a key (parser.go parseGroup, keysparsing.go):
 *   `invalid table array key: …` (sic, for a plain table too).
 */
function v1Prepare(text: string): { text: string; error: { offset: number; text: string } | null } {
  const out = text.split("");
  let mode: "void" | "rvalue" = "void";
  let depth = 0;
  const headerError = (at: number, t: string) => ({ text: out.join(""), error: { offset: at, text: `${v1Pos(text, at)}: ${t}` } });
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "#") {
      for (i++; i < text.length && text[i] !== "\n"; i++) if (text[i] === "\r" && text[i + 1] !== "\n") out[i] = " ";
      if (mode === "rvalue" && depth === 0) mode = "void";
      continue;
    }
    if (c === '"' || c === "'") {
      const multi = text.startsWith(c.repeat(3), i);
      const close = multi ? c.repeat(3) : c;
      let j = i + close.length;
      for (; j < text.length && !text.startsWith(close, j); j++) {
        if (c === '"' && text[j] === "\\") j++;
        else if (!multi && (text[j] === "\n" || text[j] === "\r")) break;
      }
      i = multi ? j + 2 : j;
      continue;
    }
    if (c === "\r" && text[i + 1] !== "\n") out[i] = "\n";
    if (c === "\n" || c === "\r") {
      if (mode === "rvalue" && depth === 0) mode = "void";
      continue;
    }
    if (mode === "void") {
      if (c === "=") mode = "rvalue";
      else if (c === "[" && text[i + 1] !== "[") {
        const close = text.indexOf("]", i + 1);
        const open = text.indexOf("[", i + 1);
        if (open >= 0 && (close < 0 || open < close)) return headerError(i + 1, "unexpected token table key cannot contain ']', was expecting a table key");
        if (close < 0) return headerError(i + 1, "unexpected token unclosed table key, was expecting a table key");
        const inner = text.slice(i + 1, close);
        const quotes = inner.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "");
        if (quotes.includes('"')) return headerError(i + 1, "invalid table array key: unclosed double-quoted key");
        if (quotes.includes("'")) return headerError(i + 1, "invalid table array key: unclosed single-quoted key");
        const bad = /[^A-Za-z0-9_\-. \t]/.exec(quotes);
        if (bad) return headerError(i + 1, `invalid table array key: invalid bare key character: ${bad[0]}`);
        i = close;
      }
      continue;
    }
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
  }
  return { text: out.join(""), error: null };
}

/** Parses a hosts.toml as go-toml `version` does, in smol-toml's document shape. */
export function goTomlParse(data: Buffer, version: GoTomlVersion): GoTomlParse {
  let orig = data.toString("utf8");
  const fail = (offset: number, text: string, verbatim: boolean): GoTomlParse => ({ ok: false, error: { text, verbatim, line: humanLine(orig, offset) } });
  if (orig.startsWith("\ufeff")) {
    if (version === 2) return fail(0, "toml: invalid character at start of key: \u00ef", true);
    orig = orig.slice(1);
  }
  // smol-toml reads a lone CR as an error; go-toml v1 as a line end, v2 as an error (found in document order).
  const cr = loneCr(orig);
  const prepared = version === 1 ? v1Prepare(orig) : { text: cr < 0 ? orig : orig.replace(/\r(?!\n)/g, "\n"), error: null };
  const text = prepared.text;
  let doc: Record<string, unknown> | null = null;
  let smolError: { offset: number; message: string } | null = null;
  try {
    doc = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const lines = text.split("\n");
    const offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + e.column - 1;
    smolError = { offset, message: e.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") };
  }
  const inline = inlineTableIssue(orig, version);
  const first = [
    version === 2 && cr >= 0 ? crError(orig, cr) : null,
    inline ? { ...inline, verbatim: true } : null,
    prepared.error ? { ...prepared.error, verbatim: true } : null,
  ]
    .filter((x): x is { offset: number; text: string; verbatim: boolean } => x !== null)
    .sort((a, b) => a.offset - b.offset)[0];
  if (first && (!smolError || smolError.offset >= first.offset)) return fail(first.offset, first.text, first.verbatim);
  if (smolError) {
    const g = classify(orig, smolError.offset, smolError.message, version);
    if (g) return fail(smolError.offset, g.text, g.verbatim);
    const where = version === 1 ? `${v1Pos(orig, smolError.offset)}: ` : "";
    return fail(smolError.offset, inVersion(version, `${where}${smolError.message}`), false);
  }
  return { ok: true, doc: doc!, text: orig };
}
