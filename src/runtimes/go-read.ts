/**
 * What Go's os.ReadFile does with an entry, from the scan's facts (checked with Go 1.19 on Linux):
 * a directory opens but fails to read ("read P: is a directory"), a socket fails to open ("open P: no such device
 * or address"), a dangling link "no such file or directory", a loop "too many levels of symbolic links".
 * os.ReadFile has no size limit: it reads a file whole, however large.
 * A FIFO blocks the reading goroutine until a writer appears. A device is read as a stream until it ends: /dev/null
 * ends at once (an empty file); /dev/zero, /dev/full, /dev/random and /dev/urandom never end, so os.ReadFile never
 * returns: it appends without end until the process runs out of memory. Checked (test/oracle) with goloader (Go
 * 1.19.8), skopeo 1.9.3 and ctr 1.6.20 under a 2 GiB address-space limit: each died with `fatal error: out of memory`
 * inside os.ReadFile (skopeo: containers/image pkg/tlsclientconfig SetupCertificates; ctr: containerd
 * remotes/docker/config ConfigureHosts, hosts.go:186) within 0.5 to 4 seconds, printing no loader error. dockerd was
 * not run on it: there the daemon itself is the process that runs out of memory.
 */
import type { FileMaterial } from "../material/material.js";
import type { Entry } from "../scan/types.js";
import { type HostMaterial, materialFor } from "../material/host.js";
import type { GoProfile } from "../material/go-profile.js";
import { endlessDevice } from "../scan/devices.js";

export type GoRead =
  | { kind: "data"; material: FileMaterial }
  /** `notExist`: Go's os.IsNotExist holds for the error (ENOENT). */
  | { kind: "error"; error: string; notExist: boolean }
  | { kind: "undetermined"; detail: string };

/** Who reads the file, for the words of an undetermined read. */
export interface ReadContext {
  /** The process that calls os.ReadFile, in sentences ("dockerd"); default "the loader". */
  reader?: string;
  /** The reading program's Go, whose pem.Decode the material follows (default: the newest). */
  go?: GoProfile;
  /** What the program does with the bytes once read, e.g. "appends the PEM certificates in it to the CA pool". */
  then?: string;
}

const PERMISSION = new Set(["EACCES", "EPERM"]);

/** 67108864 → "64 MiB". */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function via(entry: Entry): string {
  return entry.symlink && entry.linkTarget !== null ? `a symlink to ${entry.linkTarget}, ` : "";
}

export function goReadFile(hm: HostMaterial, entry: Entry, ctx: ReadContext = {}): GoRead {
  const reader = ctx.reader ?? "the loader";
  if (entry.content.status === "error" && PERMISSION.has(entry.content.error.code) && !hm.host.readByRoot) {
    return {
      kind: "undetermined",
      detail:
        `certsd-lint cannot read ${entry.name} (${entry.content.error.goError}); ` +
        `a daemon running as root probably can. ` +
        `Run certsd-lint as the user the runtime runs as to check it`,
    };
  }
  switch (entry.kind) {
    case "file": {
      const c = entry.content;
      if (c.status === "error") return { kind: "error", error: c.error.goError, notExist: c.error.code === "ENOENT" };
      if (c.status === "too-large") {
        return {
          kind: "undetermined",
          detail:
            `${entry.name} is ${c.size} bytes, more than the ${formatBytes(c.limit)} certsd-lint reads of a file, so its content was not examined; ` +
            `${reader} reads it whole (os.ReadFile has no size limit)${ctx.then ? ` and ${ctx.then}` : ""}: what that yields is not known`,
        };
      }
      const m = materialFor(hm, entry, ctx.go);
      if (!m) return { kind: "undetermined", detail: `${entry.name} changed while it was being read` };
      return { kind: "data", material: m };
    }
    case "directory":
      return { kind: "error", error: `read ${entry.path}: is a directory`, notExist: false };
    case "socket":
      return { kind: "error", error: `open ${entry.path}: no such device or address`, notExist: false };
    case "dangling-symlink":
    case "symlink-loop":
    case "inaccessible":
      return entry.content.status === "error"
        ? { kind: "error", error: entry.content.error.goError, notExist: entry.content.error.code === "ENOENT" }
        : { kind: "error", error: `open ${entry.path}: permission denied`, notExist: false };
    case "fifo":
      return {
        kind: "undetermined",
        detail: `${entry.name} is a FIFO: reading it blocks until something writes to it, so the operation hangs`,
      };
    case "char-device": {
      // /dev/null: the scan knows its (empty) content without opening it.
      const m = entry.content.status === "read" ? materialFor(hm, entry, ctx.go) : undefined;
      if (m) return { kind: "data", material: m };
      const numbers = entry.device ? ` ${entry.device.major}:${entry.device.minor}` : "";
      const endless = endlessDevice(entry.device);
      if (endless) {
        return {
          kind: "undetermined",
          detail:
            `${entry.name} is ${via(entry)}the character device${numbers} (${endless}), which never ends: os.ReadFile never returns, so ${reader} reads forever and the operation hangs, ` +
            `its memory growing until the process runs out (Go's "fatal error: out of memory", or the kernel's OOM killer); no loader error is printed`,
        };
      }
      return {
        kind: "undetermined",
        detail: `${entry.name} is ${via(entry)}the character device${numbers}, which certsd-lint does not open: ${reader} reads whatever the device yields, until it ends (if it ever does)`,
      };
    }
    case "block-device": {
      const numbers = entry.device ? ` ${entry.device.major}:${entry.device.minor}` : "";
      return {
        kind: "undetermined",
        detail: `${entry.name} is ${via(entry)}the block device${numbers}, which certsd-lint does not open: ${reader} reads the whole device, whatever it holds`,
      };
    }
  }
}
