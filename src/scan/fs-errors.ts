import type { FsError } from "./types.js";

/** syscall.Errno.Error() texts on Linux, for the errors a certs.d read can meet. */
const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
  ENXIO: "no such device or address",
  EIO: "input/output error",
  ENAMETOOLONG: "file name too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files in system",
  EINVAL: "invalid argument",
  ENODEV: "no such device",
  EOVERFLOW: "value too large for defined data type",
  ESTALE: "stale NFS file handle",
  EAGAIN: "resource temporarily unavailable",
};

export function errnoCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : "EIO";
}

/** A Go *PathError for `op` on `path`, e.g. "open /etc/docker/certs.d/h/ca.crt: permission denied". */
export function goPathError(op: FsError["op"], path: string, code: string): FsError {
  const text = GO_ERRNO_TEXT[code] ?? code.toLowerCase();
  return { op, code, goError: `${op} ${path}: ${text}` };
}
