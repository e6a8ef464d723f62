import { createHash } from "node:crypto";
import path from "node:path";
import { defineRule, docsUrl, type Finding, type FindingInput, joinedMessage } from "../src/engine/rule.js";
import { type BuildkitdCheck, checkBuildkitdConfig } from "../src/host/buildkitd-config.js";
import type { GoProfile } from "../src/material/go-profile.js";
import { type BuildxBuilder, ISOLATED_DRIVERS } from "../src/runtimes/engines.js";
import { goExt } from "../src/scan/names.js";

/** The KNOWN_ROOTS ids of the roots a dockerd reads (src/runtimes/roots.ts). */
const DOCKER_ROOTS = ["docker", "docker-rootless", "docker-desktop", "docker-snap"];

/**
 * The TOML that gives buildkitd this directory's material (moby/buildkit util/resolver/config RegistryConfig), one
 * line per table row, with the files at their paths on this machine (`buildx create --config` reads them here).
 */
function tomlFor(host: string, dir: string, cas: string[], pairs: Array<[string, string]>): string {
  const lines = [`[registry."${host}"]`];
  if (cas.length) lines.push(`ca = [${cas.map((c) => `"${dir}/${c}"`).join(", ")}]`);
  for (const [cert, key] of pairs)
    lines.push(`[[registry."${host}".keypair]]`, `cert = "${dir}/${cert}"`, `key = "${dir}/${key}"`);
  return lines.join(" ");
}

/** Whether the builder's buildkitd.toml already gives buildkitd what this directory holds. */
function covered(b: BuildxBuilder, host: string, needsCa: boolean, needsPair: boolean): boolean {
  const r = b.config?.registries.find((x) => x.host === host);
  if (!r) return false;
  const dirs = r.tlsConfigDirs.length > 0;
  return (!needsCa || r.ca.length > 0 || dirs || r.insecure === true) && (!needsPair || r.keypairs.length > 0 || dirs);
}

/** What the builder's buildkitd.toml lacks for this directory, in a sentence. */
function lacking(b: BuildxBuilder, host: string, needsCa: boolean, needsPair: boolean): string {
  const r = b.config?.registries.find((x) => x.host === host);
  if (!r) return `Its buildkitd.toml has no [registry."${host}"] table.`;
  const missing = [
    needsCa && r.ca.length === 0 ? "ca" : null,
    needsPair && r.keypairs.length === 0 ? "keypair" : null,
  ].filter((x): x is string => x !== null);
  return `Its [registry."${host}"] table has no ${missing.join(" and no ")}.`;
}

function fixFor(b: BuildxBuilder, toml: string): string {
  const endpoint = b.endpoints[0];
  if (b.driver === "remote")
    return (
      `buildx cannot give a remote builder a configuration ("setting config file is not supported for remote ` +
      `driver"): add ${toml} to the buildkitd.toml of the buildkitd at ${endpoint ?? "its endpoint"} ` +
      `(/etc/buildkit/buildkitd.toml by default), with the files copied to that machine at those paths, and restart it`
    );
  const create =
    `docker buildx create --name ${b.name} --driver ${b.driver} --config buildkitd.toml` +
    (endpoint && endpoint !== "default" && b.driver === "docker-container" ? ` ${endpoint}` : "");
  return (
    `Write a buildkitd.toml with ${toml}, then recreate the builder (buildx copies the files into it only when it ` +
    `is created, reading them as the user who runs it): docker buildx rm ${b.name}, then ${create}` +
    (b.driver === "kubernetes" ? " (with its --driver-opt options again)" : "")
  );
}

// docker/buildx @ 461836ba0fcb driver/docker-container/driver.go (the builder's buildkitd reads
// /etc/buildkit/buildkitd.toml from Files, copied in at creation), driver/remote/factory.go, util/confutil/
// container.go LoadConfigFiles; moby/buildkit @ 73ed6825c4b7 util/resolver/resolver.go. Field-failures R19 (C148).
const CD609 = defineRule({
  meta: {
    id: "CD609",
    name: "buildx-ignores-certs-d",
    severity: "warning",
    description:
      "A buildx builder with the docker-container, kubernetes or remote driver never reads this certs.d: its " +
      'buildkitd needs the CA in its buildkitd.toml [registry."host"]; also --buildkitd-config\'s file checks',
    runtimes: ["docker", "docker-containerd"],
  },
  check(ctx, report) {
    const builders = (ctx.system?.engine?.builders ?? []).filter((b) => ISOLATED_DRIVERS.includes(b.driver));
    const root = ctx.system?.roots.find((r) => r.realPath === ctx.host.root && DOCKER_ROOTS.includes(r.id));
    if (!root || builders.length === 0) return;
    const names = ctx.host.entries.map((e) => e.name);
    const cas = names.filter((n) => goExt(n) === ".crt");
    const pairs = names
      .filter((n) => goExt(n) === ".cert" && names.includes(`${n.slice(0, -5)}.key`))
      .map((n): [string, string] => [n, `${n.slice(0, -5)}.key`]);
    if (cas.length === 0 && pairs.length === 0) return;
    const host = ctx.host.name;
    const dir = `${root.path}/${host}`;
    const toml = tomlFor(host, dir, cas, pairs);
    for (const b of builders) {
      if (root.id !== "docker" && root.id !== "docker-snap" && !root.path.startsWith(`${b.home}/`)) continue;
      if (covered(b, host, cas.length > 0, pairs.length > 0)) continue;
      const near = b.config?.registries.filter((r) => r.host !== host && r.host.includes(host.split(":")[0]!)) ?? [];
      report({
        severity: b.current ? "warning" : "info",
        messageId: b.driver,
        headline: `Buildx builder ${b.name} (${b.driver}${b.current ? ", current" : ""}) never reads ${dir}`,
        why:
          `docker buildx build with ${b.name} runs buildkitd ${b.driver === "remote" ? `at ${b.endpoints[0] ?? "its endpoint"}` : b.driver === "kubernetes" ? "in Kubernetes pods" : "in a container"}, ` +
          `which reads only its own buildkitd.toml (/etc/buildkit/buildkitd.toml), not the engine's certs.d: ` +
          `pulls and pushes from that build fail with x509: certificate signed by unknown authority, or send no ` +
          `client certificate, while docker pull works (C148). ` +
          (b.config === null
            ? "The builder was created without --config."
            : near.length
              ? `Its buildkitd.toml has ${near.map((r) => `[registry."${r.host}"]`).join(", ")}, which buildkitd never matches with ${host}: the table's key is the registry's exact host[:port] (C125).`
              : lacking(b, host, cas.length > 0, pairs.length > 0)),
        fix: { text: fixFor(b, toml) },
      });
    }
  },
});

export default CD609;

/** What CD609 reports about a --buildkitd-config file: one finding input per problem, with its registry. */
export function buildkitdConfigFindings(check: BuildkitdCheck): Array<FindingInput & { registry: string }> {
  const errors = (b: string | null, x: string | null) => ({
    ...(b ? { buildkitd: b } : {}),
    ...(x ? { buildx: x } : {}),
  });
  if (check.error)
    return [
      {
        registry: "",
        severity: "error",
        messageId: "config-unreadable",
        headline: `${check.path}: ${check.error}`,
        why: check.buildkitdError
          ? `docker buildx create --config refuses the file, and buildkitd --config does not start: ` +
            `${check.buildkitdError} (cmd/buildkitd/config/load.go Load).`
          : "docker buildx create --config refuses it (util/confutil/container.go LoadConfigFiles).",
        fix: {
          text: check.buildkitdError
            ? "Fix the file so that it is valid TOML, then check it again with --buildkitd-config"
            : `Give the path of an existing buildkitd.toml`,
        },
      },
    ];
  return check.problems.map((p) => {
    const texts = errors(p.buildkitd, p.buildx);
    const said = Object.entries(texts)
      .map(([who, t]) => `${who === "buildx" ? "docker buildx create --config" : "buildkitd"} says: ${t}`)
      .join("; ");
    const base = { registry: p.host, ...(p.file !== null ? { file: p.file } : {}) };
    switch (p.kind) {
      case "key-not-a-host":
        return {
          ...base,
          severity: "error" as const,
          messageId: p.kind,
          headline: `[registry."${p.host}"] never matches a registry: the key must be host[:port] alone`,
          why: `${p.detail} (util/resolver/resolver.go NewRegistryConfig looks up m[host]); its ca and keypair are never used (C125).`,
          fix: { text: `Write the table as [registry."${p.host.replace(/^[a-z]+:\/\//i, "").split("/")[0]}"]` },
        };
      case "ca-no-certificate":
        return {
          ...base,
          severity: "error" as const,
          messageId: p.kind,
          headline: `${p.file} holds no certificate buildkitd can use for ${p.host}`,
          why:
            `buildkitd gives the file to AppendCertsFromPEM and ignores its result: ${p.detail}, so the CA is ` +
            `missing silently and the registry fails with x509: certificate signed by unknown authority.`,
          fix: {
            text: `Point ca at a file holding the registry's CA certificate in PEM (-----BEGIN CERTIFICATE-----), not ${p.file}`,
          },
        };
      case "keypair-invalid":
        return {
          ...base,
          severity: "error" as const,
          messageId: p.kind,
          headline: `The keypair for ${p.host} does not load: ${p.detail}`,
          why: `${said}, and every pull or push to ${p.host} fails (util/resolver/resolver.go loadTLSConfig).`,
          fix: { text: "Point cert at the client certificate (PEM) and key at its own private key (PEM, unencrypted)" },
        };
      default:
        return {
          ...base,
          severity: "error" as const,
          messageId: p.kind,
          headline: `${p.file} for ${p.host} cannot be read: ${p.detail}`,
          why:
            `${said}. buildkitd reads the file when a build first reaches ${p.host}, not when it starts; a ` +
            `relative path is relative to its working directory (and to the shell's at docker buildx create).`,
          fix: { text: `Give an absolute path to an existing file, or create ${p.file}` },
        };
    }
  });
}

/**
 * --buildkitd-config FILE: CD609's findings about the file, as the run reports them: about the file itself (root: its
 * directory, host "", file: its name, as for a file directly in a certs root), so that every format points at it.
 */
export function lintBuildkitdConfig(file: string, cwd: string, go: GoProfile): Finding[] {
  const check = checkBuildkitdConfig(file, cwd, go);
  return buildkitdConfigFindings(check).map(({ registry, file: named, ...f }) => {
    const parts = { headline: f.headline!, ...(f.why ? { why: f.why } : {}), ...(f.fix ? { fix: f.fix } : {}) };
    return {
      ruleId: CD609.meta.id,
      name: CD609.meta.name,
      severity: f.severity ?? CD609.meta.severity,
      root: path.dirname(check.realPath),
      host: "",
      file: path.basename(check.realPath),
      ...parts,
      ...(f.messageId ? { messageId: f.messageId } : {}),
      message: joinedMessage(parts),
      runtimeErrors: {},
      runtimes: ["docker", "docker-containerd"],
      docsUrl: docsUrl(CD609.meta),
      fingerprint: createHash("sha256")
        .update([CD609.meta.id, path.basename(check.realPath), registry, named ?? "", f.messageId ?? ""].join("\0"))
        .digest("hex"),
    } satisfies Finding;
  });
}
