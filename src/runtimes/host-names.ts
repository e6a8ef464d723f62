/** What a host directory's name means to each family of loaders. */
import { ipInCidr, isIPLiteral } from "./ip.js";

/** net.SplitHostPort's host, or the whole name when it has no port. */
export function hostPart(dirName: string): string {
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(dirName);
  if (bracket) return bracket[1]!;
  const colons = dirName.split(":").length - 1;
  if (colons === 1) return dirName.slice(0, dirName.indexOf(":"));
  return dirName;
}

/**
 * containerd's docker.IsLocalhost (and Go's IP.IsLoopback): `localhost`, or an IP literal in 127.0.0.0/8 or ::1,
 * with or without a port (`[::1]:5000`, `127.0.0.1:5000`). Names are not resolved.
 */
export function isLoopbackHost(host: string): boolean {
  const h = hostPart(host);
  if (h === "localhost") return true;
  return isIPLiteral(h) && (ipInCidr(h, "127.0.0.0/8") || ipInCidr(h, "::1/128"));
}

/**
 * containerd's directory spellings (config_unix.go hostPaths): `host_port_` for host:port (from the last colon),
 * tried before `host:port`, and `_default` for every host without its own directory. Returns a description when
 * the name is one of them, for the loaders that never read them.
 */
export function containerdOnlyName(dirName: string): string | null {
  if (dirName === "_default") return "containerd's catch-all directory";
  const m = /^(.+)_([0-9]+)_$/.exec(dirName);
  if (m) return `containerd's spelling of ${m[1]}:${m[2]}`;
  return null;
}

/** The host string a containerd-style directory name stands for ("reg_5000_" → "reg:5000"), or the name itself. */
export function containerdHostOf(dirName: string): string {
  const m = /^(.+)_([0-9]+)_$/.exec(dirName);
  return m ? `${m[1]}:${m[2]}` : dirName;
}

/** hostDirectory: ":port" → "_port_", from the last colon. */
export function containerdPortDir(host: string): string | null {
  const i = host.lastIndexOf(":");
  return i > 0 ? `${host.slice(0, i)}_${host.slice(i + 1)}_` : null;
}
