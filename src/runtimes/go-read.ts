/**
 * What Go's os.ReadFile does with an entry, from the scan's facts (checked with Go 1.19 on Linux):
 * a directory opens but fails to read ("read P: is a directory"), a socket fails to open ("open P: no such device
 * or address"), a dangling link "no such file or directory", a loop "too many levels of symbolic links".
 * A FIFO blocks the reading goroutine until a writer appears; a device is read as a stream. Neither can be
 * predicted from the outside, so they are "undetermined".
 */
import type { FileMaterial } from "../material/material.js";
import type { Entry } from "../scan/types.js";
import { type HostMaterial, materialFor } from "../material/host.js";
import type { GoProfile } from "../material/go-profile.js";

export type GoRead =
  | { kind: "data"; material: FileMaterial }
  /** `notExist`: Go's os.IsNotExist holds for the error (ENOENT). */
  | { kind: "error"; error: string; notExist: boolean }
  | { kind: "undetermined"; detail: string };

const PERMISSION = new Set(["EACCES", "EPERM"]);

/** `go`: the reading program's Go, whose pem.Decode the material follows (default: the newest). */
export function goReadFile(hm: HostMaterial, entry: Entry, go?: GoProfile): GoRead {
  if (entry.content.status === "error" && PERMISSION.has(entry.content.error.code) && !hm.host.readByRoot) {
    return {
      kind: "undetermined",
      detail: `certsd-lint cannot read ${entry.name} (${entry.content.error.goError}); a daemon running as root probably can. Run certsd-lint as the user the runtime runs as to check it`,
    };
  }
  switch (entry.kind) {
    case "file": {
      const c = entry.content;
      if (c.status === "error") return { kind: "error", error: c.error.goError, notExist: c.error.code === "ENOENT" };
      if (c.status === "too-large") {
        return {
          kind: "undetermined",
          detail: `${entry.name} is ${c.size} bytes, more than certsd-lint reads; its content was not examined`,
        };
      }
      const m = materialFor(hm, entry, go);
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
    case "char-device":
    case "block-device":
      return { kind: "undetermined", detail: `${entry.name} is a device: the loader reads whatever the device yields` };
  }
}
