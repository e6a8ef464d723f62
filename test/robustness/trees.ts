/**
 * Generated certs.d trees for property-based fuzzing (fast-check): random host and file names (the interesting
 * ones and arbitrary ones), entry kinds (files, directories, symlinks that loop, dangle or leave the tree, FIFOs),
 * and contents that are random bytes or mutations of the real fixture files (truncated, bit-flipped, spliced,
 * re-encoded). Also the secrets: every private key the contents can carry, in each encoding it could leak in.
 */
import { createPrivateKey } from "node:crypto";
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { CASES, REPO } from "../helpers/fixtures.js";

/** Every regular file of the fixture cases (small ones), the material mutations start from. */
export function fixturePool(): Buffer[] {
  const out: Buffer[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = lstatSync(p, { throwIfNoEntry: false }); // not following links: some fixtures loop
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size > 0 && st.size < 64 * 1024 && name !== "manifest.json") out.push(readFileSync(p));
    }
  };
  walk(CASES);
  return out;
}

/** The private parts of every key in fixtures/keys, and each key file's PEM body, in the encodings a leak would use. */
export function secretNeedles(): string[] {
  const needles = new Set<string>();
  const keysDir = path.join(REPO, "fixtures", "keys");
  const windows = (s: string, size: number, step: number) => {
    for (let i = 0; i + size <= s.length; i += step) needles.add(s.slice(i, i + size));
  };
  for (const name of readdirSync(keysDir).sort()) {
    const pem = readFileSync(path.join(keysDir, name), "utf8");
    windows(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), 32, 16);
    let jwk: Record<string, unknown>;
    try {
      jwk = createPrivateKey(pem).export({ format: "jwk" });
    } catch {
      continue; // DSA and other keys JWK cannot hold: their PEM body is covered above
    }
    for (const part of ["d", "p", "q", "dp", "dq", "qi"]) {
      const v = jwk[part];
      if (typeof v !== "string") continue;
      const bytes = Buffer.from(v, "base64url");
      windows(v, 24, 12);
      windows(bytes.toString("base64"), 24, 12);
      windows(bytes.toString("hex"), 32, 16);
      windows(bytes.toString("hex").toUpperCase(), 32, 16);
    }
  }
  return [...needles];
}

export type Content = Uint8Array;
export type Node =
  | { kind: "file"; name: string; content: Content }
  | { kind: "dir"; name: string; children: string[] }
  | { kind: "symlink"; name: string; target: string }
  | { kind: "fifo"; name: string };
export interface Host {
  name: string;
  nodes: Node[];
}

const INTERESTING_FILES = [
  "ca.crt",
  "client.cert",
  "client.key",
  "hosts.toml",
  "ca.pem",
  "client.crt",
  "CA.CRT",
  "._ca.crt",
  "ca.crt~",
  "old-ca.crt",
  "a.cert",
  "a.key",
  "b.cert",
  "b.key",
  "z.crt",
];
const INTERESTING_HOSTS = [
  "registry.example.com:5000",
  "localhost:5000",
  "docker.io",
  "_default",
  "reg.example.com_5000_",
  "host.example.com:443",
  "UPPER.example.com",
  "https:",
  "127.0.0.1:5000",
  "[::1]:5000",
];
/** Names as a file system allows them: no "/", no NUL, not "." or "..". */
const arbitraryName = fc
  .string({ minLength: 1, maxLength: 24, unit: "binary" })
  .filter((s) => !s.includes("/") && !s.includes("\0") && s !== "." && s !== "..");

export function contentArb(pool: readonly Buffer[]): fc.Arbitrary<Content> {
  const base = fc.constantFrom(...pool);
  const mutated = fc
    .tuple(
      base,
      fc.array(
        fc.tuple(
          fc.constantFrom("truncate", "flip", "insert", "splice", "crlf", "bom", "indent", "der"),
          fc.nat(),
          fc.nat(255),
        ),
        { maxLength: 4 },
      ),
      base,
    )
    .map(([b, ops, other]) => {
      let x = Buffer.from(b);
      for (const [op, at, byte] of ops) {
        const i = x.length ? at % x.length : 0;
        if (op === "truncate") x = x.subarray(0, i);
        else if (op === "flip" && x.length) x[i] = x[i]! ^ (1 << (byte % 8));
        else if (op === "insert") x = Buffer.concat([x.subarray(0, i), Buffer.from([byte]), x.subarray(i)]);
        else if (op === "splice") x = Buffer.concat([x.subarray(0, i), other.subarray(at % (other.length || 1))]);
        else if (op === "crlf") x = Buffer.from(x.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
        else if (op === "bom") x = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), x]);
        else if (op === "indent") x = Buffer.from(x.toString("latin1").replace(/\n/g, "\n  "), "latin1");
        else if (op === "der")
          x = Buffer.from(
            x
              .toString("latin1")
              .replace(/-----[^-]+-----/g, "")
              .replace(/\s+/g, ""),
            "base64",
          );
      }
      return new Uint8Array(x);
    });
  return fc.oneof(
    { arbitrary: mutated, weight: 5 },
    { arbitrary: base.map((b) => new Uint8Array(b)), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 3000 }), weight: 2 },
    { arbitrary: fc.constant(new Uint8Array()), weight: 1 },
  );
}

export function treeArb(pool: readonly Buffer[]): fc.Arbitrary<Host[]> {
  const fileName = fc.oneof(
    { arbitrary: fc.constantFrom(...INTERESTING_FILES), weight: 4 },
    { arbitrary: arbitraryName, weight: 1 },
  );
  const node: fc.Arbitrary<Node> = fc.oneof(
    {
      arbitrary: fc.record({ kind: fc.constant("file" as const), name: fileName, content: contentArb(pool) }),
      weight: 8,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("dir" as const),
        name: fileName,
        children: fc.array(fc.constantFrom("ca.crt", "x"), { maxLength: 2 }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("symlink" as const),
        name: fileName,
        target: fc.oneof(
          fc.constantFrom(
            ...INTERESTING_FILES,
            ".",
            "..",
            "../..",
            "/nonexistent/ca.crt",
            "/dev/zero",
            "/etc/hostname",
          ),
          arbitraryName,
        ),
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant("fifo" as const), name: fileName }), weight: 1 },
  );
  const host = fc.record({
    name: fc.oneof(
      { arbitrary: fc.constantFrom(...INTERESTING_HOSTS), weight: 3 },
      { arbitrary: arbitraryName, weight: 1 },
    ),
    nodes: fc.uniqueArray(node, { maxLength: 7, selector: (n) => n.name }),
  });
  return fc.uniqueArray(host, { minLength: 1, maxLength: 3, selector: (h) => h.name });
}

/** Writes a generated tree under `root` (a new directory). */
export function writeTree(root: string, hosts: readonly Host[]): void {
  mkdirSync(root, { recursive: true });
  for (const h of hosts) {
    const dir = path.join(root, h.name);
    mkdirSync(dir);
    for (const n of h.nodes) {
      const p = path.join(dir, n.name);
      if (n.kind === "file") writeFileSync(p, n.content);
      else if (n.kind === "dir") {
        mkdirSync(p);
        for (const c of n.children) writeFileSync(path.join(p, c), "");
      } else if (n.kind === "symlink") symlinkSync(n.target, p);
      else execFileSync("mkfifo", [p]);
    }
  }
}
