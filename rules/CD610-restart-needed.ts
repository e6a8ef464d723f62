import { defineRule } from "../src/engine/rule.js";
import type { RestartNeeded } from "../src/runtimes/roots.js";

// src/host/reload.ts compares each running daemon's start (/proc) with the files it reads only at start:
// containerd's config.toml (no reload: cmd/containerd/command/main_unix.go handleSignals @ 301026e58c), dockerd's
// daemon.json (SIGHUP reloads insecure-registries and registry-mirrors: daemon/reload.go reloadRegistryConfig @
// b985e2313a), and Docker Desktop's copy of ~/.docker/certs.d into its VM (loader-semantics §6.2).
// Field-failures R16 (C112, C131-C135); loader-semantics §3.8, §9.5, §11 item 35.

/** `2026-12-04 18:00:01 UTC` */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function times(r: RestartNeeded, what: string): string {
  return `${what} (pid ${r.pid}) started at ${when(r.startedAt)}; ${r.file} was changed at ${when(r.changedAt)}.`;
}

export default defineRule({
  meta: {
    id: "CD610",
    name: "restart-needed",
    severity: "warning",
    description:
      "Live host: a file the running daemon reads only at start changed after it started (containerd's " +
      "config.toml, dockerd's daemon.json, the system CA bundle, Docker Desktop's ~/.docker/certs.d): the change " +
      "is not in effect yet",
  },
  check(ctx, report) {
    for (const r of ctx.system?.restarts ?? []) {
      if (!r.roots.includes(ctx.host.root)) continue;
      if (r.what === "system-store") {
        const runtimes =
          r.daemon === "containerd"
            ? ctx.checked.filter((x) => x === "containerd")
            : ctx.checked.filter((x) => x === "docker" || x === "docker-containerd");
        // Only where the registry's certificate is verified against the system CAs alone: no CA of its own here.
        if (!runtimes.length || runtimes.some((x) => (ctx.runtimes[x]?.caFiles.length ?? 0) > 0)) continue;
        report({
          messageId: "system-store",
          severity: "info",
          runtimes,
          headline: `${r.daemon} started before ${r.file} changed: restart it`,
          why:
            `${times(r, r.daemon)} This directory gives ${ctx.host.name} no CA of its own, so its certificate is ` +
            `verified against the system CAs, which Go loads once per process (crypto/x509 systemRootsPool): a CA ` +
            `added with update-ca-certificates or update-ca-trust since is not trusted until ${r.daemon} restarts` +
            `${r.daemon === "dockerd" ? " (systemctl reload docker does not reload it)" : ""}.`,
          fix: {
            text:
              `Restart ${r.daemon} (systemctl restart ${r.daemon === "dockerd" ? "docker" : "containerd"}), or give ` +
              "this directory the registry's CA (ca.crt, or ca in hosts.toml), which needs no restart",
          },
        });
        continue;
      }
      if (r.daemon === "containerd") {
        if (!ctx.checked.includes("containerd")) continue;
        report({
          messageId: "containerd-config",
          severity: "warning",
          runtimes: ["containerd"],
          headline: `containerd started before ${r.file} changed: restart it`,
          why:
            `${times(r, "containerd")} containerd reads config.toml only when it starts (it has no reload), so the ` +
            `running CRI may still use an older config_path, or none, and not read this directory. hosts.toml ` +
            `and the certificate files need no restart: containerd reads them again on every pull.`,
          fix: { text: "Restart containerd (systemctl restart containerd), then pull again" },
        });
      } else if (r.daemon === "dockerd") {
        const docker = ctx.checked.filter((x) => x === "docker" || x === "docker-containerd");
        if (!docker.length) continue;
        report({
          messageId: r.action === "reload" ? "daemon-json-reload" : "daemon-json-restart",
          severity: "info",
          runtimes: docker,
          headline:
            r.action === "reload"
              ? `dockerd started before ${r.file} changed: reload it`
              : `dockerd started before ${r.file} changed: restart it`,
          why:
            `${times(r, "dockerd")} dockerd reads daemon.json at start; on SIGHUP (systemctl reload docker) it ` +
            `applies insecure-registries and registry-mirrors again (daemon/reload.go), but the image store ` +
            `(features.containerd-snapshotter) is chosen only at start. The files in certs.d need neither: dockerd ` +
            `reads them on every pull, push and login.`,
          fix: {
            text:
              r.action === "reload"
                ? "Reload dockerd (systemctl reload docker) so that insecure-registries and registry-mirrors apply"
                : "Restart dockerd (systemctl restart docker) so that features.containerd-snapshotter applies",
          },
        });
      } else if (r.hosts?.includes(ctx.host.name)) {
        const docker = ctx.checked.filter((x) => x === "docker" || x === "docker-containerd");
        if (!docker.length) continue;
        report({
          messageId: "docker-desktop",
          severity: "info",
          runtimes: docker,
          headline: "Changed after Docker Desktop started: its VM still has the earlier copy",
          why:
            `Docker Desktop (pid ${r.pid}) started at ${when(r.startedAt)}; files here were changed at or before ` +
            `${when(r.changedAt)}. Desktop copies ~/.docker/certs.d into its VM's /etc/docker/certs.d when it ` +
            `starts, so the engine does not see edits made since (Docker's Desktop FAQs for macOS and Windows; ` +
            `Desktop for Linux is taken to do the same).`,
          fix: { text: "Restart Docker Desktop (Troubleshoot, Restart; or quit it and start it again)" },
        });
      }
    }
  },
});
