/**
 * The registry daemons running on this machine, from /proc (live host only: a --sysroot has no processes): dockerd,
 * containerd, k3s, RKE2 and Docker Desktop's backend, each with its owner, its command line and when it started.
 * When a daemon started decides whether an edit to its configuration is in effect yet (field-failures R16): a file
 * changed after the start is read by the next start, not by the running daemon.
 *
 * Start time as procps computes it: /proc/stat `btime` (boot, seconds since the epoch) plus field 22 of
 * /proc/PID/stat (`starttime`, clock ticks since boot) divided by USER_HZ, which is 100 on every Linux ABI
 * (proc(5)). `btime` is truncated to the second, so a start time may be up to a second early.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type DaemonKind = "dockerd" | "containerd" | "k3s" | "rke2" | "docker-desktop";

export interface DaemonProcess {
  pid: number;
  kind: DaemonKind;
  /** /proc/PID/comm (at most 15 bytes). */
  comm: string;
  /** /proc/PID/cmdline, split at NUL bytes. */
  argv: string[];
  /** The real user id (/proc/PID/status `Uid:`). */
  uid: number;
  startedAt: Date;
  /** The configuration file the command line names (containerd `--config`/`-c`, dockerd `--config-file`), or null. */
  configFile: string | null;
}

/** USER_HZ: the unit of /proc/PID/stat's starttime (proc(5); 100 on every Linux ABI). */
export const CLK_TCK = 100;

function kindOf(comm: string, argv0: string): DaemonKind | null {
  const base = path.basename(argv0);
  for (const name of [comm, base]) {
    if (name === "dockerd") return "dockerd";
    if (name === "containerd") return "containerd";
    // k3s renames its processes `k3s server` / `k3s agent` (comm `k3s-server`, `k3s-agent`).
    if (name === "k3s" || name.startsWith("k3s-") || name.startsWith("k3s ")) return "k3s";
    if (name === "rke2" || name.startsWith("rke2 ")) return "rke2";
    // Docker Desktop for Linux: its backend starts the VM (comm is cut to 15 bytes: `com.docker.back`).
    if (name === "com.docker.backend" || name === "com.docker.back") return "docker-desktop";
  }
  return null;
}

/** The value of a flag given as `--flag value`, `--flag=value` or (for a short one) `-f value`. */
function flagValue(argv: readonly string[], names: readonly string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n && i + 1 < argv.length) return argv[i + 1]!;
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return null;
}

/** Boot time (seconds since the epoch) from /proc/stat, or null. */
export function bootTime(procRoot = "/proc"): number | null {
  try {
    const m = /^btime\s+(\d+)$/m.exec(readFileSync(path.join(procRoot, "stat"), "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Field 22 of /proc/PID/stat (fields after the parenthesised comm, which may itself hold spaces and parentheses). */
export function startTicks(stat: string): number | null {
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  // The text after ") " starts at field 3 (state): field 22 is the 20th of those.
  const v = stat
    .slice(close + 2)
    .split(" ")
    .at(22 - 3);
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/** One process, or null when it is not a registry daemon (or vanished, or cannot be read). */
export function readProcess(pid: number, procRoot = "/proc", btime = bootTime(procRoot)): DaemonProcess | null {
  if (btime === null) return null;
  const dir = path.join(procRoot, String(pid));
  try {
    const comm = readFileSync(path.join(dir, "comm"), "utf8").replace(/\n$/, "");
    const argv = readFileSync(path.join(dir, "cmdline"), "utf8").split("\0");
    if (argv.at(-1) === "") argv.pop();
    const kind = kindOf(comm, argv[0] ?? "");
    if (!kind) return null;
    const ticks = startTicks(readFileSync(path.join(dir, "stat"), "utf8"));
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(path.join(dir, "status"), "utf8"))?.[1];
    if (ticks === null || uid === undefined) return null;
    const configFile =
      kind === "containerd"
        ? flagValue(argv, ["--config", "-c"])
        : kind === "dockerd"
          ? flagValue(argv, ["--config-file"])
          : null;
    return {
      pid,
      kind,
      comm,
      argv,
      uid: Number(uid),
      startedAt: new Date(btime * 1000 + (ticks * 1000) / CLK_TCK),
      configFile,
    };
  } catch {
    return null;
  }
}

export interface ProcessOptions {
  /** Where proc(5) is mounted; /proc by default. */
  procRoot?: string;
}

/** Every registry daemon running, by pid. Empty where there is no /proc (macOS, a container without it). */
export function findDaemons(o: ProcessOptions = {}): DaemonProcess[] {
  const procRoot = o.procRoot ?? "/proc";
  const btime = bootTime(procRoot);
  if (btime === null) return [];
  let pids: number[];
  try {
    pids = readdirSync(procRoot)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
  return pids.map((pid) => readProcess(pid, procRoot, btime)).filter((p): p is DaemonProcess => p !== null);
}
