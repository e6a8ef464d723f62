/**
 * Paths inside a sysroot (an image of another machine's `/`), resolved the way that machine's kernel would: an
 * absolute symbolic link restarts at the sysroot and `..` stops at it, so nothing outside the sysroot is ever read.
 */
import { lstatSync, readlinkSync } from "node:fs";
import path from "node:path";

const MAX_LINKS = 40;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/**
 * The real path (on this machine) of `machinePath` (absolute, as the imaged machine sees it) inside `sysroot`, every
 * symbolic link followed inside it. Throws an error with the errno code (ENOENT, ENOTDIR, ELOOP, EACCES) otherwise.
 */
export function resolveInside(sysroot: string, machinePath: string): string {
  let links = 0;
  const pending = machinePath.split("/").filter(Boolean);
  const done: string[] = [];
  while (pending.length) {
    const part = pending.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      done.pop();
      continue;
    }
    const real = path.join(sysroot, ...done, part);
    const st = lstatSync(real);
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw errno("ELOOP");
      const target = readlinkSync(real);
      if (target.startsWith("/")) done.length = 0;
      pending.unshift(...target.split("/").filter(Boolean));
    } else {
      if (pending.length && !st.isDirectory()) throw errno("ENOTDIR");
      done.push(part);
    }
  }
  return path.join(sysroot, ...done);
}

/** The path as the imaged machine sees it, for a real path inside the sysroot. */
export function machinePath(sysroot: string, real: string): string {
  return `/${path.relative(sysroot, real)}`.replace(/\/$/, "") || "/";
}

/** Whether a link's target, followed literally on this machine, ends up outside the sysroot. */
export function linkLeaves(sysroot: string, linkDir: string, target: string): boolean {
  const literal = path.resolve(linkDir, target);
  const rel = path.relative(sysroot, literal);
  return rel === ".." || rel.startsWith("../") || path.isAbsolute(rel);
}
