/**
 * Which configuration changes the running daemons have not seen yet (field-failures R16, C112, C134; loader-semantics
 * §3.8, §6.2, §9.5): a file whose modification time is later than the daemon's start.
 *
 * What each program reads when (verified at the revisions of loader-semantics §1):
 * - containerd reads config.toml once, at start: it has no reload (cmd/containerd/command/main_unix.go
 *   handleSignals @ 301026e58c handles SIGTERM, SIGINT, SIGUSR1 and SIGPIPE only, and every other handled signal
 *   stops it), and CRI keeps `c.config.Registry.ConfigPath` from then on (internal/cri/server/images/image_pull.go
 *   registryHosts). hosts.toml and the certificate files are read again on every host lookup
 *   (core/remotes/docker/config/hosts.go ConfigureHosts returns a closure that calls HostDir and loadHostDir per
 *   host): editing them needs no restart, so they are not compared here.
 * - dockerd reads certs.d on every pull, push and login (§3.8). daemon.json is read at start; on SIGHUP
 *   (`systemctl reload docker`: contrib/init/systemd/docker.service has `ExecReload=/bin/kill -s HUP $MAINPID`)
 *   daemon/reload.go Reload applies, among others, `insecure-registries` and `registry-mirrors`
 *   (reloadRegistryConfig) @ b985e2313a. The image store is chosen once, in NewDaemon (daemon/daemon.go calls
 *   determineImageStoreChoice), so `features.containerd-snapshotter` takes a restart although reloadFeatures copies
 *   the features map.
 * - Docker Desktop copies ~/.docker/certs.d into its VM when it starts (§6.2): an edit after that is invisible until
 *   Desktop restarts.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { RestartNeeded } from "../runtimes/roots.js";
import { type DaemonProcess, findDaemons } from "./processes.js";

/** /proc's start time is truncated to the second (btime): a change must be later than this to count. */
export const START_SLACK_MS = 1000;

export interface ReloadInput {
  daemons: readonly DaemonProcess[];
  /** containerd's default config.toml as read on this host, and the config_path roots (looked-up paths) it gives. */
  containerd: { file: string; roots: readonly string[] } | null;
  /** dockerd's daemon.json as read on this host, the Docker roots, and whether it sets registry keys. */
  dockerd: { file: string; roots: readonly string[]; imageStoreKey: boolean } | null;
  /** Each user's Docker Desktop root (~/.docker/certs.d) and the user's uid (the home's owner). */
  desktop: ReadonlyArray<{ root: string; uid: number }>;
  /** The system CA bundle Go loads (the first of SYSTEM_BUNDLES that exists), or null. */
  systemStore?: string | null;
}

/**
 * Go's CA bundle files on Linux, the first that exists being loaded (golang/go src/crypto/x509/root_linux.go
 * certFiles). The pool is built once per process (root.go: systemRootsPool runs once.Do(initSystemRoots)), and
 * SystemCertPool hands out copies of it: a daemon sees a bundle changed by update-ca-certificates or update-ca-trust
 * only after a restart (field-failures C131-C133). podman, skopeo and ctr start afresh each time.
 */
export const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/ca-bundle.pem",
  "/etc/pki/tls/cacert.pem",
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  "/etc/ssl/cert.pem",
];

function mtime(p: string): Date | null {
  try {
    return statSync(p).mtime;
  } catch {
    return null;
  }
}

function after(changed: Date | null, p: DaemonProcess): boolean {
  return changed !== null && changed.getTime() > p.startedAt.getTime() + START_SLACK_MS;
}

/** The newest modification of a host directory: itself (entries added or removed) and each file in it. */
function newestIn(dir: string): Date | null {
  let newest = mtime(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return newest;
  }
  for (const n of names) {
    let t: Date | null;
    try {
      // The file a link points to is what is copied; the link itself when it dangles.
      t = statSync(path.join(dir, n)).mtime;
    } catch {
      try {
        t = lstatSync(path.join(dir, n)).mtime;
      } catch {
        t = null;
      }
    }
    if (t && (!newest || t > newest)) newest = t;
  }
  return newest;
}

const iso = (d: Date) => d.toISOString();

export function restartsNeeded(o: ReloadInput): RestartNeeded[] {
  const out: RestartNeeded[] = [];
  // A daemon reading `file` (k3s's and RKE2's own containerd are given -c <theirs>, so they read another one) that
  // started before the file last changed.
  const stale = (
    kind: "containerd" | "dockerd",
    file: { file: string; roots: readonly string[] },
    action: RestartNeeded["action"],
    only: (d: DaemonProcess) => boolean = () => true,
  ) => {
    for (const p of o.daemons.filter((d) => d.kind === kind && only(d))) {
      if (p.configFile !== null && path.resolve(p.configFile) !== file.file) continue;
      const t = mtime(file.file);
      if (after(t, p))
        out.push({
          daemon: kind,
          pid: p.pid,
          startedAt: iso(p.startedAt),
          file: file.file,
          changedAt: iso(t!),
          roots: [...file.roots],
          action,
        });
    }
  };
  if (o.containerd) stale("containerd", o.containerd, "restart");
  if (o.dockerd) stale("dockerd", o.dockerd, o.dockerd.imageStoreKey ? "restart" : "reload", (d) => d.uid === 0);
  const store = o.systemStore ?? null;
  const storeTime = store ? mtime(store) : null;
  if (store && storeTime) {
    const readers: Array<[DaemonProcess, readonly string[]]> = [];
    if (o.containerd)
      for (const p of o.daemons.filter((d) => d.kind === "containerd"))
        if (p.configFile === null || path.resolve(p.configFile) === o.containerd.file)
          readers.push([p, o.containerd.roots]);
    if (o.dockerd)
      for (const p of o.daemons.filter((d) => d.kind === "dockerd" && d.uid === 0))
        if (p.configFile === null || path.resolve(p.configFile) === o.dockerd.file) readers.push([p, o.dockerd.roots]);
    for (const [p, roots] of readers)
      if (after(storeTime, p))
        out.push({
          daemon: p.kind === "dockerd" ? "dockerd" : "containerd",
          pid: p.pid,
          startedAt: iso(p.startedAt),
          file: store,
          changedAt: iso(storeTime),
          roots: [...roots],
          action: "restart",
          what: "system-store",
        });
  }
  for (const d of o.desktop) {
    const p = o.daemons.find((x) => x.kind === "docker-desktop" && x.uid === d.uid);
    if (!p) continue;
    let hosts: string[];
    try {
      hosts = readdirSync(d.root).sort();
    } catch {
      continue;
    }
    const changed = hosts.filter((h) => after(newestIn(path.join(d.root, h)), p));
    if (!changed.length) continue;
    const newest = changed.map((h) => newestIn(path.join(d.root, h))!).reduce((a, b) => (a > b ? a : b));
    out.push({
      daemon: "docker-desktop",
      pid: p.pid,
      startedAt: iso(p.startedAt),
      file: d.root,
      changedAt: iso(newest),
      roots: [d.root],
      hosts: changed,
      action: "restart",
    });
  }
  return out;
}

/** The live host's case: the daemons in /proc against the default configuration files and each home's Desktop root. */
export function liveRestarts(o: {
  procRoot?: string;
  containerdRoots: readonly string[];
  dockerRoot: string;
  /** daemon.json's features.containerd-snapshotter is set (the image store, chosen at start). */
  imageStoreKey: boolean;
  homes: readonly string[];
}): RestartNeeded[] {
  const daemons = findDaemons(o.procRoot === undefined ? {} : { procRoot: o.procRoot });
  if (!daemons.length) return [];
  const desktop: Array<{ root: string; uid: number }> = [];
  for (const home of o.homes)
    try {
      desktop.push({ root: path.join(home, ".docker/certs.d"), uid: statSync(home).uid });
    } catch {
      /* no such home */
    }
  return restartsNeeded({
    daemons,
    containerd: { file: "/etc/containerd/config.toml", roots: o.containerdRoots },
    dockerd: { file: "/etc/docker/daemon.json", roots: [o.dockerRoot], imageStoreKey: o.imageStoreKey },
    desktop,
    systemStore: SYSTEM_BUNDLES.find((f) => mtime(f) !== null) ?? null,
  });
}
