/**
 * Walks what the user named into host directories and entries. Reads only what a certs.d loader could read:
 * regular files, up to a bound. Never opens a FIFO, socket or device (/dev/null is known to be empty unopened), never descends below a host directory,
 * and lets the kernel report symlink loops (ELOOP) instead of following them.
 */
import {
  closeSync,
  readFileSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  statSync,
  type Stats,
} from "node:fs";
import path from "node:path";
import { isNullDevice, splitRdev } from "./devices.js";
import { errnoCode, goPathError } from "./fs-errors.js";
import { hostLikeName, looksLikeMaterialName } from "./names.js";
import type { ContentRead, Entry, EntryKind, HostDir, ScanOptions, ScanResult } from "./types.js";
import { isLiveName } from "./names.js";
import { linkLeaves, machinePath, resolveInside } from "./confine.js";

/**
 * Real loaders read whole files (os.ReadFile has no limit): a ca.crt made by appending a system bundle is over 1 MiB
 * and loads. 64 MiB is far beyond any certificate file, and still a bound on what one file can cost.
 */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A problem with what the user asked for (exit code 2), as one line. */
export class ScanError extends Error {}

function kindOf(st: Stats): EntryKind {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "directory";
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice()) return "char-device";
  if (st.isBlockDevice()) return "block-device";
  return "inaccessible";
}

function byteOrder(a: { nameBytes: Buffer }, b: { nameBytes: Buffer }): number {
  return Buffer.compare(a.nameBytes, b.nameBytes);
}

function rawPath(dir: string | Buffer, name: Buffer): Buffer {
  const d = Buffer.isBuffer(dir) ? dir : Buffer.from(dir);
  return Buffer.concat([d, d[d.length - 1] === 0x2f ? Buffer.alloc(0) : Buffer.from("/"), name]);
}

/** The first read's size beyond what stat said (a file that grows while read), and the smallest later chunk. */
const GROWTH_CHUNK = 64 * 1024;

/**
 * Reads a regular file whole, as os.ReadFile would, but never more than `max` bytes: memory follows the file's real
 * size (one buffer of its stat size, then chunks should it grow while read), never the bound. A file larger than the
 * bound is not opened at all when stat says so, and read no further than the bound when it grows past it.
 */
function readBounded(raw: Buffer, display: string, size: number, max: number): ContentRead {
  if (size > max) return { status: "too-large", size, limit: max };
  let fd: number;
  try {
    // O_NONBLOCK: should the file have been swapped for a FIFO since it was stat'ed, open must not hang.
    fd = openSync(raw, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { status: "error", error: goPathError("open", display, errnoCode(e)) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { status: "not-read" };
    if (st.size > max) return { status: "too-large", size: st.size, limit: max };
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte more than the stat size, so that end of file is seen without a second buffer when the size holds.
    let chunk = Buffer.alloc(Math.min(st.size, max) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, chunk, n, chunk.length - n, null);
      if (got === 0) break;
      n += got;
      if (total + n > max) return { status: "too-large", size: Math.max(st.size, total + n), limit: max };
      if (n === chunk.length) {
        chunks.push(chunk);
        total += n;
        chunk = Buffer.alloc(Math.min(Math.max(GROWTH_CHUNK, total), max + 1 - total));
        n = 0;
      }
    }
    chunks.push(chunk.subarray(0, n));
    total += n;
    return { status: "read", data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (e) {
    return { status: "error", error: goPathError("read", display, errnoCode(e)) };
  } finally {
    closeSync(fd);
  }
}

/** An entry for a file named by absolute path (a hosts.toml's `ca = "/etc/ssl/registry-ca.pem"`). */
export function readFileAt(absPath: string, options: ScanOptions = {}): Entry {
  const { confine } = options;
  // Under a sysroot, an absolute path names the imaged machine's file: it is looked up inside the sysroot.
  const p =
    confine !== undefined && path.relative(confine, absPath).startsWith("..") ? path.join(confine, absPath) : absPath;
  const entry = readEntry(
    path.dirname(p),
    Buffer.from(path.basename(p)),
    options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    confine,
  );
  // Known by the path the configuration names (hosts.toml's `ca = "/etc/pki/ca.crt"`), as on the imaged machine.
  return p === absPath ? entry : { ...entry, path: absPath };
}

export function readEntry(dir: string, nameBytes: Buffer, max: number, confine?: string): Entry {
  return readEntryRaw(Buffer.from(dir), dir, nameBytes, max, confine);
}

/** `dirRaw` is the directory's path as bytes (for the file system), `dir` as text (for messages). */
function readEntryRaw(dirRaw: Buffer, dir: string, nameBytes: Buffer, max: number, confine?: string): Entry {
  let raw: Buffer = rawPath(dirRaw, nameBytes);
  const name = nameBytes.toString("utf8");
  const display = path.join(dir, name);
  const base: Pick<
    Entry,
    "name" | "nameBytes" | "path" | "symlink" | "linkTarget" | "leavesSysroot" | "mode" | "size"
  > = { name, nameBytes, path: display, symlink: false, linkTarget: null, mode: 0, size: 0 };
  let lst: Stats;
  try {
    lst = lstatSync(raw);
  } catch (e) {
    // Vanished between listing and stat, or not even stat-able.
    return {
      ...base,
      kind: errnoCode(e) === "ENOENT" ? "dangling-symlink" : "inaccessible",
      content: { status: "error", error: goPathError("open", display, errnoCode(e)) },
    };
  }
  base.mode = lst.mode & 0o7777;
  base.size = lst.size;
  Object.assign(base, { gid: lst.gid, group: groupName(lst.gid), uid: lst.uid });
  if (lst.isSymbolicLink()) {
    base.symlink = true;
    try {
      base.linkTarget = readlinkSync(raw, { encoding: "buffer" }).toString("utf8");
    } catch {
      base.linkTarget = null;
    }
  }
  let st: Stats = lst;
  if (lst.isSymbolicLink()) {
    try {
      if (confine !== undefined) {
        if (base.linkTarget !== null) base.leavesSysroot = linkLeaves(confine, dir, base.linkTarget);
        raw = Buffer.from(resolveInside(confine, machinePath(confine, display)));
      }
      st = statSync(raw);
    } catch (e) {
      const code = errnoCode(e);
      const kind: EntryKind =
        code === "ENOENT" || code === "ENOTDIR"
          ? "dangling-symlink"
          : code === "ELOOP"
            ? "symlink-loop"
            : "inaccessible";
      return { ...base, kind, content: { status: "error", error: goPathError("open", display, code) } };
    }
  }
  const kind = kindOf(st);
  const entry: Entry = {
    ...base,
    kind,
    mode: st.mode & 0o7777,
    size: st.size,
    gid: st.gid,
    group: groupName(st.gid),
    uid: st.uid,
    content: { status: "not-read" },
  };
  if (kind === "file") entry.content = readBounded(raw, display, st.size, max);
  if (kind === "char-device" || kind === "block-device") {
    entry.device = splitRdev(st.rdev);
    // /dev/null reads as empty: known without opening it. No other device is ever opened.
    if (kind === "char-device" && isNullDevice(entry.device)) entry.content = { status: "read", data: Buffer.alloc(0) };
  }
  if (kind === "directory") {
    try {
      entry.children = listNames(raw)
        .slice(0, MAX_CHILDREN)
        .map((n) => n.toString("utf8"));
    } catch {
      entry.children = null;
    }
  }
  return entry;
}

const MAX_CHILDREN = 64;

/** Group names by gid from /etc/group (read once per process; empty when it cannot be read). */
let groupNames: Map<number, string> | null = null;

/** The name /etc/group gives a gid, or null (numeric only). */
export function groupName(gid: number): string | null {
  if (!groupNames) {
    groupNames = new Map();
    try {
      for (const line of readFileSync("/etc/group", "utf8").split("\n")) {
        const [name, , id] = line.split(":");
        if (name && id !== undefined && /^\d+$/.test(id) && !groupNames.has(Number(id)))
          groupNames.set(Number(id), name);
      }
    } catch {
      /* no /etc/group: names stay numeric */
    }
  }
  return groupNames.get(gid) ?? null;
}

/** The directory holding a `.git` (directory or file, as a worktree has) at `dir` or above it, or null. */
export function gitWorkTreeOf(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      lstatSync(path.join(d, ".git"));
      return d;
    } catch {
      /* not here */
    }
    if (path.dirname(d) === d) return null;
  }
}

/** The names in a root (empty when it cannot be listed); `cache` keeps one listing per root for one scan. */
function rootNames(root: string, cache?: Map<string, string[]>): string[] {
  const known = cache?.get(root);
  if (known) return known;
  let names: string[];
  try {
    names = listNames(root).map((n) => n.toString("utf8"));
  } catch {
    names = [];
  }
  cache?.set(root, names);
  return names;
}

function listNames(dir: string | Buffer): Buffer[] {
  return (readdirSync(dir, { encoding: "buffer" }) as Buffer[]).sort((a, b) => Buffer.compare(a, b));
}

/**
 * Scans one host directory. `nameBytes` is its raw name when it came from a listing (names need not be UTF-8);
 * otherwise the name is taken from the path.
 */
export function scanHostDir(
  hostPath: string,
  options: ScanOptions = {},
  nameBytes?: Buffer,
  rootCache?: Map<string, string[]>,
): HostDir {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const resolved = path.resolve(hostPath);
  const root = path.dirname(resolved);
  const rawName = nameBytes ?? Buffer.from(path.basename(resolved));
  const raw = rawPath(root, rawName);
  const host: HostDir = {
    root,
    name: rawName.toString("utf8"),
    nameBytes: rawName,
    path: resolved,
    entries: [],
    listError: null,
    readByRoot: process.getuid?.() === 0,
    siblings: rootNames(root, rootCache).filter((n) => n !== rawName.toString("utf8")),
    gitWorkTree: gitWorkTreeOf(root),
  };
  try {
    // A host directory may itself be a symlink (certs.d/myreg:5000 -> /etc/pki/myreg): its target, as written.
    if (lstatSync(raw).isSymbolicLink()) host.linkTarget = readlinkSync(raw, { encoding: "buffer" }).toString("utf8");
  } catch {
    /* gone or unreadable: the listing below says so */
  }
  try {
    const real =
      options.confine !== undefined ? resolveInside(options.confine, machinePath(options.confine, resolved)) : raw;
    const st = statSync(real);
    host.stat = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } catch {
    /* the listing below says why */
  }
  let names: Buffer[];
  let listed: Buffer = raw;
  try {
    if (options.confine !== undefined)
      listed = Buffer.from(resolveInside(options.confine, machinePath(options.confine, resolved)));
    names = listNames(listed);
  } catch (e) {
    const code = errnoCode(e);
    host.listError = goPathError(code === "ENOTDIR" ? "readdirent" : "open", resolved, code);
    return host;
  }
  host.entries = names.map((n) => readEntryRaw(listed, resolved, n, max, options.confine)).sort(byteOrder);
  return host;
}

type Role = "root" | "host";

function roleOf(dir: string, names: Buffer[]): Role {
  const base = path.basename(dir);
  if (base === "certs.d") return "root";
  if (path.basename(path.dirname(dir)) === "certs.d") return "host";
  let subdirs = 0;
  for (const n of names) {
    const name = n.toString("utf8");
    if (isLiveName(name) || name === "hosts.toml") {
      try {
        if (!statSync(rawPath(dir, n)).isDirectory()) return "host";
      } catch {
        return "host"; // a dangling ca.crt still marks a host directory
      }
    }
    try {
      if (statSync(rawPath(dir, n)).isDirectory()) subdirs++;
    } catch {
      /* dangling or unreadable: not a subdirectory */
    }
  }
  if (subdirs > 0) return "root";
  return hostLikeName(base) ? "host" : "root";
}

function describeStatError(p: string, e: unknown): ScanError {
  const code = errnoCode(e);
  if (code === "ENOENT") return new ScanError(`${p}: no such file or directory`);
  if (code === "EACCES" || code === "EPERM") return new ScanError(`${p}: permission denied`);
  if (code === "ELOOP") return new ScanError(`${p}: too many levels of symbolic links`);
  if (code === "ENOTDIR") return new ScanError(`${p}: a component of the path is not a directory`);
  return new ScanError(`${p}: cannot be read (${code})`);
}

/**
 * Scans each path the user named:
 * - a certs root (named certs.d, or holding only subdirectories): every subdirectory is a host directory;
 * - a host directory (inside a certs.d, or holding .crt/.cert/.key files, or named like a registry);
 * - a file (as pre-commit passes them): its host directory is scanned whole, since a key's partner matters.
 * Throws ScanError for anything that is none of these or cannot be read.
 */
export function scanPaths(paths: readonly string[], options: ScanOptions = {}): ScanResult {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  /** Host directory path → its raw name when known from a listing. */
  const hostPaths = new Map<string, Buffer | undefined>();
  const roots: ScanResult["roots"] = [];
  const rootSeen = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      throw describeStatError(p, e);
    }
    if (st.isDirectory()) {
      let names: Buffer[];
      try {
        names = listNames(abs);
      } catch (e) {
        throw describeStatError(p, e);
      }
      if (roleOf(abs, names) === "host") {
        hostPaths.set(abs, undefined);
        continue;
      }
      if (rootSeen.has(abs)) continue;
      rootSeen.add(abs);
      const looseFiles: Entry[] = [];
      for (const n of names) {
        const e = readEntry(abs, n, max, options.confine);
        // A host-named file stands where a host directory should (`cp ca.crt certs.d/myreg:5000` before the
        // mkdir): the runtime will try to list it, so it is linted as a host directory.
        const hostNamedFile = e.kind !== "directory" && hostLikeName(e.name) && !looksLikeMaterialName(e.name);
        if (e.kind === "directory" || hostNamedFile) hostPaths.set(path.join(abs, e.name), n);
        else looseFiles.push(e);
      }
      roots.push({ path: abs, looseFiles });
    } else {
      // A file (or a FIFO/socket/device, which is never opened): lint the host directory it lives in.
      const dir = path.dirname(abs);
      const inCertsRoot = path.basename(path.dirname(dir)) === "certs.d";
      if (!looksLikeMaterialName(path.basename(abs)) && !inCertsRoot) {
        throw new ScanError(
          `${p}: not certificate material (expected a certs.d root, a host directory, or a .crt/.cert/.key file)`,
        );
      }
      if (!hostPaths.has(dir)) hostPaths.set(dir, undefined);
    }
  }
  const rootCache = new Map<string, string[]>();
  const hosts = [...hostPaths.entries()]
    .map(([h, raw]) => scanHostDir(h, options, raw, rootCache))
    .sort(
      (a, b) => Buffer.compare(Buffer.from(a.root), Buffer.from(b.root)) || Buffer.compare(a.nameBytes, b.nameBytes),
    );
  return { hosts, roots };
}
