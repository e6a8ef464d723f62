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
 *
 * v1 texts are v1.9.5's (containerd's vendored copy). Debian builds its containerd 1.6.20 with its go-toml 1.9.4,
 * which panics (`interface conversion: interface {} is *errors.errorString, not string`) where 1.9.5 says
 * `unhandled token: …` (a value starting with `]`, `}` or `,`); otherwise their texts are the same.
 *
 * Known limits (measured on ~5000 one-character edits of correct files in gotoml.test.ts, 189 v1 verdicts differ, no
 * v2 one): go-toml v1 takes a table header's quoted parts raw, so a line end, a control character or any backslash
 * inside `[host."…"]` is fine to it and an error to smol-toml, as is `"\/"` in a value; table headers that differ only
 * in how they are written (`[a."b"]`, `[a.'b']`) are the same table to smol-toml, not to v1. (A key starting with a
 * dot, a quoted key spanning lines and a line end between a key and its `=` are taken as v1 takes them.)
 */
import { parse, TomlError } from "smol-toml";

export type GoTomlVersion = 1 | 2;

export interface GoTomlSyntaxError {
  /** go-toml's error text (v1 without containerd's `failed to parse TOML: ` wrapping). */
  text: string;
  /** Where in the text (UTF-16 offset, after a dropped BOM) the error was found. */
  offset: number;
  verbatim: boolean;
  /** 1-based line, counting CR, LF and CRLF as line ends (for people, not go-toml's count). */
  line: number;
}

export type GoTomlParse =
  { ok: true; doc: Record<string, unknown>; text: string } | { ok: false; error: GoTomlSyntaxError };

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

/**
 * A TOML basic string's content, unescaped (a raw tab is allowed; \UXXXXXXXX too); the raw text when it does not
 * unescape (smol-toml has then reported it already).
 */
export function unescapeBasic(raw: string): string {
  const s = raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_, h: string) => {
    const cp = parseInt(h, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp).replace(/["\\]/g, (c) => `\\${c}`) : "";
  });
  try {
    return JSON.parse(
      // eslint-disable-next-line no-control-regex -- TOML's control characters, escaped for JSON
      `"${s.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`,
    ) as string;
  } catch {
    return raw;
  }
}

/** The key parts of a table header's content (`host."https://a"` → host, https://a). */
function headerParts(inner: string): string[] {
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s."']+)/g)].map((m) =>
    m[1] !== undefined ? unescapeBasic(m[1]) : (m[2] ?? m[3]!),
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

/** Whether a key (or a part of a dotted key) starts at `offset`: only blank space since a line end, `[`, `.`, `{` or `,`. */
function atKeyStart(text: string, offset: number, ctx: Ctx): boolean {
  let j = offset - 1;
  while (j >= 0 && (text[j] === " " || text[j] === "\t")) j--;
  const p = j < 0 ? "\n" : text[j]!;
  if (p === "\n" || p === "\r") return ctx.open === null;
  if (p === ".") return true;
  if (p === "[") return ctx.header !== null;
  return ctx.open === "{" && (p === "{" || p === ",");
}

/** go-toml's wording of the syntax error smol-toml found at `offset`, when it is one of the mistakes listed here. */
function classify(
  orig: string,
  offset: number,
  message: string,
  version: GoTomlVersion,
): { text: string; verbatim: boolean } | null {
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
        // (v1Prepare reports a header repeated as written.)
        return null;
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
    // `"<url>".ca = …` under [host] after [host."<url>"]: the dotted key reopens an explicit table (seen.go).
    const explicit = [...(ctx.table ? headerParts(ctx.table) : []), parts[0]!].join("\u0000");
    const headers = orig
      .slice(0, lineStart)
      .split(/\r?\n|\r/)
      .map((l) => /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/.exec(l)?.[1]);
    if (headers.some((h) => h !== undefined && headerParts(h).join("\u0000") === explicit)) {
      return v2(`cannot redefine table ${parts[0]} that has already been explicitly defined`);
    }
    return null;
  }
  if (ctx.header !== null && !ctx.string && message === "illegal character in key") {
    // A table header that smol-toml could not read.
    if (v1) {
      const inner = orig.slice(ctx.header + 1);
      const close = inner.indexOf("]");
      if (close < 0) return at(ctx.header + 1, "unexpected token unclosed table key, was expecting a table key");
      const bad = /[^A-Za-z0-9_\-."' \t]/.exec(
        inner.slice(0, close).replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (m) => "_".repeat(m.length)),
      );
      if (bad) return at(ctx.header + 1, `invalid table array key: invalid bare key character: ${bad[0]}`);
      return null;
    }
    if (c !== undefined && atKeyStart(orig, offset, ctx))
      return v2(`invalid character at start of key: ${String.fromCharCode(firstByte(orig, offset))}`);
    return v2("expected character ]");
  }
  if (message === "expected comma or end of structure") {
    if (c === undefined && ctx.open === "[")
      return v1 ? at(offset, "unterminated array") : v2("expected character ] but the document ended here");
    if (ctx.open === "[") {
      if (v1) return at(c === '"' || c === "'" ? offset + 1 : offset, "missing comma");
      return v2("array elements must be separated by commas");
    }
    if (ctx.open === "{") {
      if (c === "}")
        return v1
          ? at(ctx.prev, "trailing comma at the end of inline table")
          : v2("invalid character at start of key: }");
      if (c === undefined || c === "\n" || c === "\r") return null;
      if (v1)
        return /[A-Za-z]/.test(c)
          ? at(offset, `unexpected token type in inline table: no value can start with ${c}`)
          : null;
      return v2("expected character ,");
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
    if (v1 && c === ".") return at(offset, "cannot start float with a dot");
    if (/[0-9+\-.]/.test(c)) return null;
    if (!v1 && ctx.open === "[") {
      // In an array, after an element: go-toml v2 wants the comma first.
      let j = offset - 1;
      while (j >= 0 && /[ \t\r\n]/.test(orig[j]!)) j--;
      if (orig.slice(orig.lastIndexOf("\n", j) + 1, offset).includes("#")) return null; // a comment in between
      if (orig[j] !== "[" && orig[j] !== ",") return v2("array elements must be separated by commas");
      if (c === ",") return orig[j] === "[" ? v2("array cannot start with comma") : null;
    }
    if (v1) {
      // lexer.go lexRvalue: `]`, `}` and `,` are tokens the parser cannot place (parseRvalue: `unhandled token`,
      // without a position); `=` and `.` have their own words.
      if (c === "]" || c === "}" || c === ",") return { text: `unhandled token: "${c}"`, verbatim: true };
      if (c === "=") return at(offset, "cannot have multiple equals for the same key");
      if (c === "#" || ctx.open === "{") return null;
      return at(offset, `no value can start with ${String.fromCodePoint(cp!)}`);
    }
    if (c === "e" || c === "E" || c === "_") return null;
    const word = { t: "true", f: "false", i: "inf", n: "nan" }[c];
    return v2(word ? `expected '${word}'` : "incomplete number");
  }
  if (message === "each key-value declaration must be followed by an end-of-line") {
    if (c === undefined || c === "\r") return null;
    if (v1) {
      const lineStart = orig.lastIndexOf("\n", offset - 1) + 1;
      if (ctx.open === "{") return null;
      // After a value the lexer is back in lexVoid/lexRvalue: tokens the parser cannot place are `unexpected token`,
      // lexer errors `parsing error: …` (parser.go parseStart).
      if (/^\s*\[/.test(orig.slice(lineStart, offset))) {
        // After a table header: lexVoid again, so a key starts here.
        if (c === "=") return at(offset, "unexpected token =");
        return /[A-Za-z0-9_\-"'#]/.test(c)
          ? null
          : at(offset, `parsing error: keys cannot contain ${String.fromCodePoint(cp!)} character`);
      }
      if ("]={},".includes(c)) return at(offset, `unexpected token ${c}`);
      if (c === ".") return at(offset, "parsing error: cannot start float with a dot");
      const rest = orig.slice(offset + 1).split(/\r?\n|\r/)[0]!;
      if (c === '"' && !rest.includes('"') && /\n/.test(orig.slice(offset)))
        return at(offset + 1, "parsing error: unescaped control character U+000A");
      if (c === "'" && !rest.includes("'") && /\n/.test(orig.slice(offset)))
        return at(offset + 1, "parsing error: unclosed string");
      if (!/[A-Za-z]/.test(c)) return null; // a digit lexes as a number: `unexpected token Integer`, …
      return at(offset, `parsing error: no value can start with ${c}`);
    }
    return v2(`expected newline but got ${goUnicodeQ(firstByte(orig, offset))}`);
  }
  if (message === "control characters are not allowed in strings" && ctx.string && !ctx.string.multi) {
    const s = ctx.string;
    if (v1) {
      if (ctx.header !== null || ctx.open === "{") return null;
      // A string where a value goes is lexed by lexRvalue (its error bare); elsewhere the error is the parser's
      // `parsing error: …`; a string where a key goes is a quoted key (other words).
      let j = s.start - 1;
      while (j >= 0 && (orig[j] === " " || orig[j] === "\t")) j--;
      const before = orig[j];
      if (before !== "=" && before !== "[" && before !== ",") return null;
      if (s.quote === "'") return c === "\n" || c === "\r" ? at(s.start + 1, "unclosed string") : null;
      return at(s.start + 1, `unescaped control character U+${cp!.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    if (c === "\n")
      return v2(s.quote === '"' ? "basic strings cannot have new lines" : "literal strings cannot have new lines");
    if (s.quote === '"') return v2("invalid UTF-8");
    return null;
  }
  if (message === "unrecognised escape sequence" && ctx.string && ctx.string.quote === '"' && !ctx.string.multi) {
    // smol-toml points at the character after the backslash.
    const e = orig[offset - 1] === "\\" ? orig.codePointAt(offset)! : orig.codePointAt(offset + 1)!;
    if (v1) return at(ctx.string.start + 1, `invalid escape sequence: \\${String.fromCodePoint(e)}`);
    return v2(`invalid escaped character ${goUnicodeQ(e)}`);
  }
  if (message === "unexpected end of key" && !ctx.string) {
    // `[]` or a line starting with `=`: smol-toml points after the `[`, or at the `=`.
    if (ctx.header !== null && c === "]")
      return v1
        ? at(offset, 'unexpected token "]", was expecting a table key')
        : v2("invalid character at start of key: ]");
    const lineStart = orig.lastIndexOf("\n", offset - 1) + 1;
    const keyStart = lineStart + /^[ \t]*/.exec(orig.slice(lineStart))![0].length;
    const key = orig.slice(keyStart, offset).replace(/[ \t]+$/, "");
    if (c === "=" && key === "" && ctx.open === null)
      return v1 ? at(offset, "unexpected token =") : v2("invalid character at start of key: =");
    if (v1 && ctx.open === null && key.endsWith(".") && !/["']/.test(key)) {
      // `key. = …`: the key as lexed ends in a dot (parser.go parseAssign).
      const parsed = v1ParseKey(key);
      if ("error" in parsed) return at(keyStart, `invalid key: ${parsed.error}`);
    }
    return null;
  }
  if (message === "incomplete key-value: cannot find end of key" && !ctx.string) {
    // A key running to the end of the document.
    if (/[=\n\r]/.test(orig.slice(offset))) return null;
    return v1
      ? at(orig.length, "was expecting token =, but got EOF instead")
      : v2("expected = after a key, but the document ends there");
  }
  if (message === "illegal character in key" && !ctx.string) {
    const keyStart = ctx.keyStart ?? offset;
    if (c === undefined)
      return v1
        ? at(offset, "was expecting token =, but got EOF instead")
        : v2("expected = after a key, but the document ends there");
    if (v1 && (ctx.open === "{" || orig[keyStart] === '"' || orig[keyStart] === "'")) return null; // other words there
    if (atKeyStart(orig, offset, ctx)) {
      if (v1) {
        if (c === "}") return at(offset, "unexpected token }");
        return c === '"' || c === "'" || orig[offset - 1] === "."
          ? null
          : at(offset, `parsing error: keys cannot contain ${String.fromCodePoint(cp!)} character`);
      }
      return v2(`invalid character at start of key: ${String.fromCharCode(firstByte(orig, offset))}`);
    }
    if (v1) {
      // `key "value"`: go-toml v1's lexer reads on into the string and stops at the end of the line.
      if (
        c === '"' &&
        /^"(?:[^"\\\n]|\\.)*"[ \t]*(\r?\n|$)/.test(orig.slice(offset)) &&
        /[ \t]/.test(orig[offset - 1] ?? "")
      ) {
        return at(offset, "was expecting token =, but got keys cannot contain new lines instead");
      }
      const word = /^[A-Za-z0-9_-]+/.exec(orig.slice(offset));
      if (/[ \t]/.test(orig[offset - 1] ?? "")) {
        // The key ended at the blank; the next token is not `=` (parser.go parseAssign's assume).
        if (word) return at(offset, `was expecting token =, but got "${word[0]}" instead`);
        if (c === "}" || c === "[") return at(offset, `was expecting token =, but got "${c}" instead`);
        if (c === "#" || c === '"' || c === "'" || c === "\n" || c === "\r") return null;
        return at(
          offset,
          `was expecting token =, but got keys cannot contain ${String.fromCodePoint(cp!)} character instead`,
        );
      }
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
  // Exact where a line may end (the text before it is whole TOML); elsewhere go-toml stops on the CR with whatever
  // the construct it is in expects.
  let whole: boolean;
  try {
    parse(`${text.slice(0, offset)}\n`);
    whole = true;
  } catch {
    whole = false;
  }
  return {
    offset,
    text: "toml: windows new line should be \\r\\n",
    verbatim: whole && !ctx.string && ctx.open === null,
  };
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
    let inKey = true; // after `{` or `,`, until `=`
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
        if (before === "{" || before === ",") return { offset: j, text: "toml: invalid character at start of key: \n" };
        return { offset: j, text: inKey ? "toml: expected character =" : "toml: expected character ," };
      }
      if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") {
        lastComma = ch === "," ? j : -1;
        prev = j;
        if (ch === "=") inKey = false;
        else if (ch === ",") inKey = true;
      }
    }
    scannedTo = j;
  }
  return null;
}

/** go-toml v1's parseKey (keysparsing.go), on a key as its lexer hands it over: the parts, or its error. */
export function v1ParseKey(key: string): { parts: string[] } | { error: string } {
  const runes = [...key];
  const groups: string[] = [];
  if (key.length === 0) return { error: "empty key" };
  const space = (r: string | undefined) => r === " " || r === "\t";
  const bare = (r: string | undefined) => r !== undefined && /^[A-Za-z0-9_-]$/.test(r);
  let idx = 0;
  while (idx < runes.length) {
    while (idx < runes.length && space(runes[idx])) idx++;
    if (idx >= runes.length) break;
    let r = runes[idx]!;
    if (bare(r)) {
      const start = idx;
      let end = -1;
      idx++;
      while (idx < runes.length) {
        r = runes[idx]!;
        if (bare(r)) idx++;
        else if (r === ".") {
          end = idx;
          break;
        } else if (space(r)) {
          end = idx;
          while (idx < runes.length && space(runes[idx])) idx++;
          if (idx < runes.length && runes[idx] !== ".")
            return { error: `invalid key character after whitespace: ${runes[idx]}` };
          break;
        } else return { error: `invalid bare key character: ${r}` };
      }
      groups.push(runes.slice(start, end === -1 ? idx : end).join(""));
    } else if (r === "'" || r === '"') {
      const q = r;
      idx++;
      const start = idx;
      for (;;) {
        if (idx >= runes.length) return { error: `unclosed ${q === "'" ? "single" : "double"}-quoted key` };
        if (runes[idx] === q) {
          groups.push(runes.slice(start, idx).join(""));
          idx++;
          break;
        }
        idx++;
      }
    } else if (r === ".") {
      idx++;
      if (idx >= runes.length) return { error: "unexpected end of key" };
      r = runes[idx]!;
      if (!bare(r) && r !== "'" && r !== '"' && r !== " ") return { error: "expecting key part after dot" };
    } else return { error: `invalid key character: ${r}` };
  }
  if (groups.length === 0) return { error: "empty key" };
  return { parts: groups };
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
  const seen = new Set<string>();
  // (also used for the first error found in a string)
  const headerError = (at: number, t: string) => ({
    text: out.join(""),
    error: { offset: at, text: `${v1Pos(text, at)}: ${t}` },
  });
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
      let k = i - 1;
      while (k >= 0 && (text[k] === " " || text[k] === "\t")) k--;
      const isValue = mode === "rvalue" && (text[k] === "=" || text[k] === "[" || text[k] === ",");
      // A quoted key (lexer.go lexKey → lexStringAsString with acceptNewLines): go-toml v1 takes line ends, control
      // characters and any escape in it; smol-toml gets a tame stand-in of the same length.
      const key = mode === "void" && c === '"' && !multi;
      for (; j < text.length && !text.startsWith(close, j); j++) {
        if (c === '"' && text[j] === "\\") {
          // lexer.go lexStringAsString: \e (TOML 1.1, which smol-toml takes) is not among go-toml v1's escapes.
          if (text[j + 1] === "e" && isValue && !multi) return headerError(i + 1, "invalid escape sequence: \\e");
          if (key) out[j] = out[j + 1] = "_";
          j++;
          // eslint-disable-next-line no-control-regex -- control characters inside a quoted key, as v1 lexes them
        } else if (key && /[\u0000-\u001f]/.test(text[j]!)) out[j] = "_";
        else if (!multi && !key && (text[j] === "\n" || text[j] === "\r")) break;
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
      if (c === "=") {
        mode = "rvalue";
        // lexKey stops at a blank and lexVoid skips line ends: `key ⏎= value` is `key = value` to go-toml v1
        // (without the blank, lexKey meets the line end: `keys cannot contain new lines`).
        let k = i - 1;
        while (k >= 0 && /[ \t\r\n]/.test(text[k]!)) k--;
        if (k >= 0 && /[A-Za-z0-9_\-"']/.test(text[k]!) && /[ \t]/.test(text[k + 1]!))
          for (let m = k + 1; m < i; m++) if (out[m] === "\n" || out[m] === "\r") out[m] = " ";
      } else if (
        c === "." &&
        (i === 0 || /[\n\r]/.test(text[i - 1]!) || /^[ \t]*$/.test(text.slice(text.lastIndexOf("\n", i - 1) + 1, i)))
      ) {
        // keysparsing.go parseKey skips a dot before a key part: `.ca = …` is `ca = …`.
        if (/[A-Za-z0-9_\-"']/.test(text[i + 1] ?? "")) out[i] = " ";
      } else if (c === "[" && text[i + 1] !== "[") {
        const close = text.indexOf("]", i + 1);
        const open = text.indexOf("[", i + 1);
        if (open >= 0 && (close < 0 || open < close))
          return headerError(i + 1, "unexpected token table key cannot contain ']', was expecting a table key");
        if (close < 0) return headerError(i + 1, "unexpected token unclosed table key, was expecting a table key");
        const inner = text.slice(i + 1, close);
        if (inner === "") return headerError(i + 1, 'unexpected token "]", was expecting a table key');
        // parser.go parseGroup: a header seen before, as written, then the key parsed.
        if (seen.has(inner)) return headerError(i + 1, "duplicated tables");
        seen.add(inner);
        const key = v1ParseKey(inner);
        if ("error" in key) return headerError(i + 1, `invalid table array key: ${key.error}`);
        // The same leading dot in a header: `[.host."…"]` is `[host."…"]`.
        const dot = /^[ \t]*\./.exec(inner);
        if (dot) out[i + dot[0].length] = " ";
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
  const fail = (offset: number, text: string, verbatim: boolean): GoTomlParse => ({
    ok: false,
    error: { text, offset, verbatim, line: humanLine(orig, offset) },
  });
  if (orig.startsWith("\ufeff")) {
    if (version === 2) return fail(0, "toml: invalid character at start of key: \u00ef", true);
    orig = orig.slice(1);
  }
  // smol-toml reads a lone CR as an error; go-toml v1 as a line end, v2 as an error (found in document order).
  const cr = loneCr(orig);
  const prepared =
    version === 1 ? v1Prepare(orig) : { text: cr < 0 ? orig : orig.replace(/\r(?!\n)/g, "\n"), error: null };
  const text = prepared.text;
  let doc: Record<string, unknown> | null = null;
  let smolError: { offset: number; message: string } | null = null;
  try {
    doc = parse(text, { integersAsBigInt: true });
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
