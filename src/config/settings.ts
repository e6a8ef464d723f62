/**
 * One lint run's settings, resolved once: the command line (or API) wins over the configuration file, which wins
 * over the defaults. Versions are parsed here, into the releases the runtime models follow, and nowhere else.
 */
import { DEFAULT_EXPIRY_WARNING_DAYS, type LintSettings } from "../engine/lint.js";
import type { FailureThreshold } from "../engine/rule.js";
import { containerdRelease, DEFAULT_CONTAINERD_VERSION } from "../runtimes/containerd-release.js";
import { DEFAULT_DOCKER_VERSION, dockerEngine } from "../runtimes/docker-engine.js";
import { DEFAULT_PODMAN_VERSION, podmanRelease } from "../runtimes/podman.js";
import { isRuntimeId, RUNTIME_IDS, runtimeSettings } from "../runtimes/registry.js";
import type { RuntimeId } from "../runtimes/types.js";
import type { HostDiscovery } from "../host/discover.js";
import { type Config, ConfigError } from "./config.js";

/** A problem with the command line or the API's arguments: one line, exit 2. */
export class UsageError extends Error {}

/** What the caller gives (flags, or the API's options); absent means "from the configuration, else the default". */
export interface SettingRequest {
  now?: Date;
  expiryWarningDays?: number;
  runtimes?: readonly RuntimeId[] | null;
  dockerVersion?: string;
  containerdVersion?: string;
  podmanVersion?: string;
  failureThreshold?: FailureThreshold;
  maxWarnings?: number;
}

export interface Settings extends LintSettings {
  failureThreshold: FailureThreshold;
  /** -1: no limit. */
  maxWarnings: number;
}

type VersionKey = "dockerVersion" | "containerdVersion" | "podmanVersion";

/**
 * A release version, parsed once: from the request (a flag), else the configuration, else the default. An error
 * names where the value came from: `--docker-version: …`, or `<file>: dockerVersion: …`.
 */
function release<T>(
  key: VersionKey,
  parse: (v: string) => T,
  fallback: string,
  req: SettingRequest,
  config: Config | null,
): T {
  const given = req[key];
  try {
    return parse(given ?? config?.[key] ?? fallback);
  } catch (e) {
    const why = (e as Error).message;
    if (given !== undefined || !config?.source)
      throw new UsageError(`--${key.replace(/Version$/, "")}-version: ${why}`);
    throw new ConfigError(config.source, key, why);
  }
}

export function resolveSettings(req: SettingRequest, config: Config | null = null): Settings {
  // The CLI's parser and the configuration's schema check the runtimes they are given; the API's arrive here.
  const unknown = (req.runtimes as readonly string[] | null | undefined)?.find((r) => !isRuntimeId(r));
  if (unknown !== undefined) throw new UsageError(`unknown runtime ${unknown}; choose from ${RUNTIME_IDS.join(", ")}`);
  const docker = release("dockerVersion", dockerEngine, DEFAULT_DOCKER_VERSION, req, config);
  const containerd = release("containerdVersion", containerdRelease, DEFAULT_CONTAINERD_VERSION, req, config);
  const podman = release("podmanVersion", podmanRelease, DEFAULT_PODMAN_VERSION, req, config);
  return {
    now: req.now ?? new Date(),
    expiryWarningDays: req.expiryWarningDays ?? config?.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
    runtimes: req.runtimes ?? config?.runtimes ?? null,
    runtime: runtimeSettings({ docker, containerd, podman }),
    ruleOptions: config?.ruleOptions ?? {},
    failureThreshold: req.failureThreshold ?? config?.failureThreshold ?? "error",
    maxWarnings: req.maxWarnings ?? config?.maxWarnings ?? -1,
  };
}

/**
 * The settings with a host's context in them (src/host/discover.ts): the roots found and who reads each, daemon.json's
 * insecure-registries in dockerd's model, containers/image's search roots, and the sysroot every path lies in.
 */
export function withHostContext(settings: Settings, d: HostDiscovery): Settings {
  const { runtime } = settings;
  return {
    ...settings,
    ...(d.sysroot ? { sysroot: d.sysroot } : {}),
    runtime: {
      ...runtime,
      docker: {
        ...runtime.docker,
        insecureRegistries: d.settings.dockerInsecure,
        ...(d.settings.addresses ? { addresses: d.settings.addresses } : {}),
      },
      host: d.settings,
    },
  };
}
