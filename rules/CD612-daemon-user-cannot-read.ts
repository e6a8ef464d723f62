import path from "node:path";
import { defineRule, type FindingInput } from "../src/engine/rule.js";
import { mayAccess, R_OK, X_OK } from "../src/host/access.js";
import { say } from "../src/facts/wording.js";
import type { RootReader } from "../src/runtimes/roots.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { machinePath } from "../src/scan/confine.js";
import type { Entry } from "../src/scan/types.js";

// Field-failures R15 (C128-C130), loader-semantics §11 item 28. What each program does when it may not read
// (Go's os errors: `open <path>: permission denied`, `stat <path>: permission denied`):
// - classic: daemon/pkg/registry/registry.go loadTLSConfig @ b985e2313a returns the os.ReadDir error and every
//   os.ReadFile / tls.LoadX509KeyPair error unchanged;
// - containerd's loader (Docker's containerd store): hosts.go HostDirFromRoot returns a stat error other than "not
//   found", loadHostDir a hosts.toml read error, updateTLSConfigFromHost `unable to read CA cert %q: %w` and
//   `unable to read CERT file %q: %w` (the key too) @ 301026e58c;
// - containers/image @ df7e80d2d1: dockerCertDir moves on to the next root when the host directory cannot be
//   stat'ed (logged at debug level, `error accessing certs directory due to permissions: %v`); SetupCertificates
//   skips an unlistable host directory (`Skipping scan of %s due to permission error: %v`, debug) and returns a
//   .crt read error and any LoadX509KeyPair error.

const cap = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

const denied = (op: string, p: string) => `${op} ${p}: permission denied`;

function who(st: { uid?: number; mode: number }): string {
  const mode = (st.mode & 0o777).toString(8).padStart(3, "0");
  return `mode ${mode}, owner ${st.uid === 0 ? "root" : `uid ${st.uid ?? "?"}`}`;
}

/** The directory name containerd stats first for a host (config_unix.go hostPaths). */
function firstCandidate(name: string): string {
  const port = /^(.*):(\d+)$/.exec(name);
  return port ? `${port[1]}_${port[2]}_` : name;
}

/** `what` as the machine sees it (under --sysroot, without the sysroot): where the command is run. */
const sentences = (...parts: string[]) => parts.filter(Boolean).join(" ");

function failing(errors: Partial<Record<RuntimeId, string>>): string {
  const ids = Object.keys(errors) as RuntimeId[];
  return ids.length ? `${say(ids, "fails", "fail")} every pull for this registry.` : "";
}

function fixText(reader: RootReader, what: string, sysroot: string | null, dir: boolean): string {
  const p = sysroot ? machinePath(path.resolve(sysroot), what) : what;
  return (
    `Give it to ${reader.user}, who runs ${reader.daemon}: sudo chown ${dir ? "-R " : ""}${reader.user} ${p} ` +
    `(keep private keys mode 600)`
  );
}

export default defineRule({
  meta: {
    id: "CD612",
    name: "daemon-user-cannot-read",
    severity: "error",
    description:
      "A root read by a daemon running as an ordinary user (rootless dockerd, the user's podman) holds a file or " +
      "directory that user cannot read (owner and mode): the pull fails, or the directory is skipped",
    programText: {
      docker: "open <path>: permission denied",
      "docker-containerd": 'unable to read CA cert "<path>": open <path>: permission denied',
      podman: "open <path>: permission denied",
    },
  },
  check(ctx, report) {
    const reader = ctx.system?.readers?.[ctx.host.root];
    if (!reader) return;
    const dir = ctx.host.path;
    const runtimes = ctx.checked.filter((r) => ctx.runtimes[r]?.status !== "not-read");
    if (!runtimes.length) return;
    const live = ctx.host.entries.filter((e) => e.kind === "file" && /\.(crt|cert|key)$/.test(e.name));
    const hostsToml = ctx.entry("hosts.toml");

    // 1. A directory on the way to the root that the user cannot search: nothing below it is reached.
    const blocked = reader.blocked[0];
    if (blocked) {
      const errors: Partial<Record<RuntimeId, string>> = {};
      for (const r of runtimes)
        if (r === "docker") errors.docker = denied("open", dir);
        else if (r === "docker-containerd" || r === "containerd")
          errors[r] = denied("stat", `${ctx.host.root}/${firstCandidate(ctx.host.name)}`);
      const skipping = runtimes.filter((r) => r === "podman");
      report({
        messageId: "root-blocked",
        runtimes,
        headline: `${cap(reader.daemon)} runs as ${reader.user}, who cannot enter ${blocked.path}`,
        why: sentences(
          `${blocked.path} is ${who(blocked)}: ${reader.user} may not search it, so nothing under it is read.`,
          failing(errors),
          skipping.length ? "podman skips this root without a word (a debug log line) and looks in the next one." : "",
        ),
        fix: { text: `Let ${reader.user} in: sudo chmod u+rx,o+x ${blocked.path}, or chown it to ${reader.user}` },
        runtimeErrors: errors,
      });
      return;
    }

    // 2. The host directory itself.
    const st = ctx.host.stat;
    if (st) {
      const canList = mayAccess(reader, st, R_OK);
      const canEnter = mayAccess(reader, st, X_OK);
      if (!canList || !canEnter) {
        const errors: Partial<Record<RuntimeId, string>> = {};
        // The first file a loader opens: a .crt or a .cert (a .key is opened through its .cert).
        const firstLive = live.find((e) => /\.(crt|cert)$/.test(e.name));
        for (const r of runtimes) {
          if (r === "docker")
            errors.docker = !canList ? denied("open", dir) : firstLive ? denied("open", firstLive.path) : undefined;
          else if (r === "docker-containerd" || r === "containerd")
            errors[r] = !canEnter
              ? denied("open", `${dir}/hosts.toml`)
              : hostsToml && hostsToml.size > 0
                ? undefined
                : denied("open", dir);
          else if (r === "podman" && canList && firstLive) errors.podman = denied("open", firstLive.path);
          if (errors[r] === undefined) delete errors[r];
        }
        const silent = runtimes.includes("podman") && !canList;
        if (Object.keys(errors).length || silent)
          report({
            messageId: "host-directory",
            runtimes: [...(Object.keys(errors) as RuntimeId[]), ...(silent ? (["podman"] as RuntimeId[]) : [])],
            headline:
              `${cap(reader.daemon)} runs as ${reader.user}, who cannot ${canList ? "enter" : "list"} ` +
              `this directory (${who(st)})`,
            why: sentences(
              `The directory is ${who(st)}; ${reader.daemon} reads it as ${reader.user}.`,
              failing(errors),
              silent
                ? 'podman skips the directory without a word ("Skipping scan of … due to permission error", ' +
                    "at debug level only)."
                : "",
            ),
            fix: { text: fixText(reader, dir, ctx.sysroot, true) },
            runtimeErrors: errors,
          });
        return;
      }
    }

    // 3. Each file a loader opens.
    const files: Entry[] = [...live, ...(hostsToml && hostsToml.kind === "file" ? [hostsToml] : [])];
    for (const e of files) {
      if (e.uid === undefined || mayAccess(reader, { mode: e.mode, uid: e.uid, gid: e.gid }, R_OK)) continue;
      const errors: Partial<Record<RuntimeId, string>> = {};
      for (const r of runtimes) {
        const v = ctx.verdict(r, e.name);
        const role = v?.role;
        if (e.name === "hosts.toml") {
          if (r === "docker-containerd" || r === "containerd") errors[r] = denied("open", e.path);
          continue;
        }
        if (!role || role === "ignored" || role === "config") continue;
        if (role === "client-key" && !v.partner) continue;
        if (r === "docker" || r === "podman") errors[r] = denied("open", e.path);
        else if (role === "ca") errors[r] = `unable to read CA cert "${e.path}": ${denied("open", e.path)}`;
        else errors[r] = `unable to read CERT file "${e.path}": ${denied("open", e.path)}`;
      }
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      const finding: FindingInput = {
        file: e.name,
        messageId: "file",
        runtimes: failing,
        headline: `${cap(reader.daemon)} runs as ${reader.user}, who cannot read ${e.name} (${who(e)})`,
        why:
          `${e.name} is ${who(e)}${e.symlink ? " (its link target's)" : ""}; ${reader.daemon} opens it as ` +
          `${reader.user}, and ${say(failing, "fails", "fail")} every pull for this registry. A daemon run by ` +
          `root would read it.`,
        fix: { text: fixText(reader, e.path, ctx.sysroot, false) },
        runtimeErrors: errors,
      };
      report(finding);
    }
  },
});
