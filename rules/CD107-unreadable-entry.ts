import { defineRule, type Severity } from "../src/engine/rule.js";
import { goExt } from "../src/runtimes/docker.js";
import type { Entry } from "../src/scan/types.js";

const LIVE = new Set([".crt", ".cert", ".key"]);

function describe(e: Entry): { text: string; severity: Severity } | null {
  switch (e.kind) {
    case "dangling-symlink":
      return { text: `${e.name} is a symlink to ${e.linkTarget ?? "a path"} that does not exist`, severity: "error" };
    case "symlink-loop":
      return { text: `${e.name} is a symlink loop`, severity: "error" };
    case "directory":
      return { text: `${e.name} is a directory, which Docker tries to read as a file`, severity: "error" };
    case "socket":
      return { text: `${e.name} is a socket`, severity: "error" };
    case "fifo":
      return { text: `${e.name} is a named pipe (FIFO): reading it blocks until something writes to it, so the pull hangs`, severity: "error" };
    case "char-device":
    case "block-device":
      return { text: `${e.name} is a device file: Docker reads whatever it yields`, severity: "warning" };
    case "inaccessible":
      return { text: `${e.name} cannot be examined (${e.content.status === "error" ? e.content.error.goError : "permission denied"})`, severity: "warning" };
    case "file":
      if (e.content.status === "too-large") return { text: `${e.name} is ${e.content.size} bytes, too large for a certificate file; certsd-lint did not examine it`, severity: "warning" };
      if (e.content.status === "error") return { text: `${e.name} cannot be read: ${e.content.error.goError}`, severity: "warning" };
      return null;
  }
}

export default defineRule({
  meta: {
    id: "CD107",
    name: "unreadable-entry",
    severity: "error",
    description: "A .crt, .cert or .key that cannot be read as a file (dangling symlink, directory, FIFO, unreadable)",
    runtimes: ["docker"],
    programText: { docker: "open <path>: no such file or directory" },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (!LIVE.has(goExt(entry.name))) continue;
      const d = describe(entry);
      if (!d) continue;
      // Docker's words: from the entry itself, or, for a key, from the .cert whose pair load reads it.
      const own = ctx.verdict("docker", entry.name);
      const viaPartner = own?.role === "client-key" && own.partner ? ctx.verdict("docker", own.partner) : undefined;
      const docker = own?.cause === "read" ? own.error : viaPartner?.cause === "read" && viaPartner.error?.includes(entry.path) ? viaPartner.error : undefined;
      const undetermined = own?.role === "undetermined" ? own.detail : undefined;
      const severity: Severity = undetermined && d.severity === "error" && entry.kind !== "fifo" ? "warning" : d.severity;
      const effect = docker ? ", and Docker fails every pull, push and login for this registry" : undetermined && entry.kind !== "fifo" ? `: ${undetermined}` : "";
      report({ file: entry.name, severity, message: `${d.text}${effect}. Remove it or point it at a readable file.`, ...(docker ? { runtimeErrors: { docker } } : {}) });
    }
  },
});
