import { defineRule, type Severity } from "../src/engine/rule.js";
import { checked, errorsOn } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import { certNameOf, goExt, isLiveName, KEY_EXT } from "../src/scan/names.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import type { Entry } from "../src/scan/types.js";

function describe(e: Entry): { headline: string; id: string; text: string; severity: Severity } | null {
  switch (e.kind) {
    case "dangling-symlink":
      return {
        headline: "Dangling symlink: its target does not exist",
        id: "dangling-symlink",
        text: `${e.name} is a symlink to ${e.linkTarget ?? "a path"} that does not exist`,
        severity: "error",
      };
    case "symlink-loop":
      return { headline: "Symlink loop", id: "symlink-loop", text: `${e.name} is a symlink loop`, severity: "error" };
    case "directory":
      return {
        headline: `A directory${e.symlink ? " (through a symlink)" : ""} under a certificate file name`,
        id: "directory",
        text:
          `${e.name} is a directory${e.symlink ? " (through a symlink)" : ""}, ` +
          `which a loader may try to read as a file`,
        severity: "error",
      };
    case "socket":
      return { headline: "A socket, not a file", id: "socket", text: `${e.name} is a socket`, severity: "error" };
    case "fifo":
      return {
        headline: "Named pipe (FIFO): reading it blocks, so the pull hangs",
        id: "fifo",
        text: `${e.name} is a named pipe (FIFO): reading it blocks until something writes to it, so the pull hangs`,
        severity: "error",
      };
    case "char-device":
    case "block-device":
      return {
        headline: "A device file, read as whatever the device yields",
        id: "device",
        text: `${e.name} is a device file: it is read as whatever the device yields`,
        severity: "warning",
      };
    case "inaccessible":
      return {
        headline: "Cannot be examined",
        id: "inaccessible",
        text: `${e.name} cannot be examined (${e.content.status === "error" ? e.content.error.goError : "permission denied"})`,
        severity: "warning",
      };
    case "file":
      if (e.content.status === "too-large")
        return {
          headline: `Too large for a certificate file (${e.content.size} bytes); not examined`,
          id: "too-large",
          text:
            `${e.name} is ${e.content.size} bytes, too large for a certificate file; ` +
            `certsd-lint did not examine it`,
          severity: "warning",
        };
      if (e.content.status === "error")
        return {
          headline: "Cannot be read",
          id: "read-error",
          text: `${e.name} cannot be read: ${e.content.error.goError}`,
          severity: "warning",
        };
      return null;
  }
}

export default defineRule({
  meta: {
    id: "CD107",
    name: "unreadable-entry",
    severity: "error",
    description: "A .crt, .cert or .key that cannot be read as a file (dangling symlink, directory, FIFO, unreadable)",
    programText: {
      docker: "open <path>: no such file or directory",
      containerd: 'unable to read CA cert "<path>": open <path>: no such file or directory',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (!isLiveName(entry.name)) continue;
      // A dangling .key beside its .cert is CD311's: what each runtime then does with the pair.
      if (entry.kind === "dangling-symlink" && goExt(entry.name) === KEY_EXT && ctx.entry(certNameOf(entry.name)))
        continue;
      const d = describe(entry);
      if (!d) continue;
      // Each runtime's words: on the entry itself, or, for a key, on the .cert whose pair load reads it.
      const partners = checked(ctx)
        .map((r) => ctx.verdict(r, entry.name)?.partner)
        .filter((p): p is string => !!p && p !== entry.name);
      const errors = Object.fromEntries(
        Object.entries(errorsOn(ctx, [entry.name, ...new Set(partners)], ["read"])).filter(([, text]) =>
          text.includes(entry.path),
        ),
      ) as Partial<Record<RuntimeId, string>>;
      const failing = Object.keys(errors) as RuntimeId[];
      const hanging = checked(ctx).filter((r) => ctx.verdict(r, entry.name)?.role === "undetermined");
      // Skipping it is a claim about a runtime that reads the directory: not one that never does.
      const skipping = checked(ctx).filter(
        (r) => !errors[r] && !hanging.includes(r) && ctx.runtimes[r]?.status !== "not-read",
      );
      if (!failing.length && !hanging.length) continue; // every loader skips it
      const severity: Severity = failing.length || entry.kind === "fifo" ? d.severity : "warning";
      const effects: string[] = [];
      if (failing.length) effects.push(`${say(failing, "fails", "fail")} every pull, push and login for this registry`);
      if (hanging.length && entry.kind === "fifo") effects.push(`${say(hanging, "blocks", "block")} reading it`);
      if (skipping.length && (failing.length || hanging.length)) effects.push(`${say(skipping, "skips", "skip")} it`);
      const why = hanging.length && entry.kind !== "fifo" ? `: ${ctx.verdict(hanging[0]!, entry.name)?.detail}` : "";
      report({
        file: entry.name,
        severity,
        messageId: d.id,
        headline: d.headline,
        why: `${d.text}${why}${effects.length ? `; ${effects.join("; ")}` : ""}.`,
        fix: { text: "Remove it or point it at a readable file." },
        runtimeErrors: errors,
        runtimes: [...failing, ...hanging],
      });
    }
  },
});
