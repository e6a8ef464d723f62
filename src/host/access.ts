/**
 * Who reads a root that a daemon running as an ordinary user reads (field-failures R15, C128-C130; loader-semantics
 * §3.5 "Unreadable files", §11 item 28): rootless dockerd reads `$XDG_CONFIG_HOME/docker/certs.d` and the user's
 * podman reads `~/.config/containers/certs.d`, both as the user who owns the home. A root-run daemon reads anything
 * (CAP_DAC_OVERRIDE), so roots under /etc get no reader here.
 *
 * Both run inside a user namespace (RootlessKit; podman's rootless pause process) as its uid 0, which maps to the
 * user; the user's subordinate ids (/etc/subuid, /etc/subgid) are mapped as well. Linux's permission check
 * (fs/namei.c generic_permission, capable_wrt_inode_uidgid) then gives:
 * - the owner bits for a file the user owns, the group bits when its group is one of the user's, else the other
 *   bits;
 * - and whatever those say, a file whose owner and group are both mapped into the namespace (the user's own uid
 *   and primary gid, the subordinate ranges) is readable: the namespace's root holds CAP_DAC_OVERRIDE over it.
 * So root's files (or another user's) are judged by their group and other bits.
 * The judgment is by mode bits against the user's ids, never by trying to open (certsd-lint may run as root).
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { HostRoot, RootReader } from "../runtimes/roots.js";
import { resolveInside } from "../scan/confine.js";

/** Which root ids a daemon running as the home's owner reads, and what that daemon is called. */
const USER_ROOTS: Readonly<Record<string, string>> = {
  "docker-rootless": "rootless dockerd",
  "containers-user": "podman",
};

export const R_OK = 4;
export const X_OK = 1;

const inRanges = (id: number, ranges: ReadonlyArray<[number, number]>) =>
  ranges.some(([start, count]) => id >= start && id < start + count);

/** Whether the reader may read (R_OK) or search (X_OK) an inode of this mode, owner and group. */
export function mayAccess(reader: RootReader, st: { mode: number; uid: number; gid?: number }, want: number): boolean {
  const gid = st.gid ?? -1;
  // generic_permission: the owner's, group's or others' bits first ...
  const bits =
    st.uid === reader.uid ? (st.mode >> 6) & 7 : reader.gids.includes(gid) ? (st.mode >> 3) & 7 : st.mode & 7;
  if ((bits & want) === want) return true;
  // ... then CAP_DAC_OVERRIDE, which the namespace's root holds over inodes whose owner and group are both mapped
  // (the user's own ids: namespace uid and gid 0; the subordinate ranges).
  const uidMapped = st.uid === reader.uid || inRanges(st.uid, reader.subuids);
  const gidMapped = gid === reader.gids[0] || inRanges(gid, reader.subgids);
  return uidMapped && gidMapped;
}

function lines(machine: string | null, file: string): string[] {
  try {
    const real = machine ? resolveInside(machine, file) : file;
    return readFileSync(real, "utf8").split("\n");
  } catch {
    return [];
  }
}

function ranges(machine: string | null, file: string, user: string, uid: number): Array<[number, number]> {
  return lines(machine, file)
    .map((l) => l.trim().split(":"))
    .filter((f) => f.length === 3 && (f[0] === user || f[0] === String(uid)))
    .map((f) => [Number(f[1]), Number(f[2])] as [number, number])
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
}

function statIn(machine: string | null, p: string): { mode: number; uid: number; gid: number } | null {
  try {
    const st = statSync(machine ? resolveInside(machine, p) : p);
    return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } catch {
    return null;
  }
}

/** The user owning a home: name and groups from passwd and group (the machine's, under a sysroot). */
export function userOf(machine: string | null, home: string): Omit<RootReader, "daemon" | "blocked"> | null {
  const st = statIn(machine, home);
  if (!st || st.uid === 0) return null;
  const pw = lines(machine, "/etc/passwd")
    .map((l) => l.split(":"))
    .find((f) => f.length >= 7 && Number(f[2]) === st.uid);
  const user = pw?.[0] ?? String(st.uid);
  const primary = pw ? Number(pw[3]) : st.gid;
  const extra = lines(machine, "/etc/group")
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 4 && f[3]!.split(",").includes(user))
    .map((f) => Number(f[2]))
    .filter((g) => Number.isFinite(g) && g !== primary);
  return {
    user,
    uid: st.uid,
    gids: [primary, ...new Set(extra)],
    subuids: ranges(machine, "/etc/subuid", user, st.uid),
    subgids: ranges(machine, "/etc/subgid", user, st.uid),
  };
}

/** The readers of the existing per-user roots, by looked-up root path. */
export function readersOf(
  machine: string | null,
  roots: readonly HostRoot[],
  users: ReadonlyArray<{ home: string; xdg: string }>,
): Record<string, RootReader> {
  const out: Record<string, RootReader> = {};
  for (const r of roots) {
    const daemon = USER_ROOTS[r.id];
    if (!daemon || !r.exists) continue;
    const home = users.find((u) => r.path.startsWith(`${u.home}/`) || r.path.startsWith(`${u.xdg}/`))?.home;
    if (!home) continue;
    const who = userOf(machine, home);
    if (!who) continue;
    const reader: RootReader = { daemon, ...who, blocked: [] };
    // Every directory from the home down to the root must be searchable.
    const blocked: Array<RootReader["blocked"][number]> = [];
    const below = path.relative(home, r.path);
    const steps = below.startsWith("..")
      ? [r.path]
      : [home, ...below.split("/").map((_, i, a) => path.join(home, ...a.slice(0, i + 1)))];
    for (const d of steps) {
      const st = statIn(machine, d);
      if (st && !mayAccess(reader, st, X_OK)) blocked.push({ path: d, ...st });
    }
    out[r.realPath] = { ...reader, blocked };
  }
  return out;
}
