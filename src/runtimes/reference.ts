/**
 * Which registry host a user's words name: an image reference (as `docker pull` takes it), a registry (`myreg:5000`)
 * or a `docker login` argument (`https://myreg:5000/v1/`). Image references follow docker/distribution's grammar
 * (distribution/reference `regexp.go`, `normalize.go` `splitDockerDomain` and `ParseNormalizedNamed`, `reference.go`
 * `Parse`, @ v0.6.0, as vendored by moby and containers/image), whose error texts are quoted verbatim. Login
 * arguments follow dockerd's `Service.Auth` (moby/moby `daemon/pkg/registry/service.go:59-73` @ `b985e2313a`):
 * `https://` is prepended when no scheme is given and the URL's host is the registry.
 */

/** Docker Hub's canonical domain and its legacy spelling (normalize.go `defaultDomain`, `legacyDefaultDomain`). */
export const DOCKER_HUB = "docker.io";
const LEGACY_HUB = "index.docker.io";

// distribution/reference regexp.go @ v0.6.0.
const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const name = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const REFERENCE = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;
const DOMAIN_AND_PORT = new RegExp(`^${domainAndPort}$`);
const NAME_TOTAL_LENGTH_MAX = 255;

/** A reference the grammar refuses: the message is distribution/reference's own. */
export class RefParseError extends Error {}

export type RefKind = "image" | "registry" | "login";

export interface ParsedRef {
  /** What the argument was read as. */
  kind: RefKind;
  /** The registry host string every runtime builds its directory name from, case and port as written. */
  host: string;
  /** The normalised repository (`docker.io/library/alpine`), for an image reference. */
  repository: string | null;
  tag: string | null;
  digest: string | null;
  /** Set when the argument could also be read another way (`node:20`: a registry, or Docker Hub's node image). */
  alternative: string | null;
}

/** normalize.go splitDockerDomain. */
function splitDockerDomain(s: string): [string, string] {
  const i = s.indexOf("/");
  let domain: string;
  let remainder: string;
  const first = i < 0 ? "" : s.slice(0, i);
  if (i < 0 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) {
    domain = DOCKER_HUB;
    remainder = s;
  } else {
    domain = first;
    remainder = s.slice(i + 1);
  }
  if (domain === LEGACY_HUB) domain = DOCKER_HUB;
  if (domain === DOCKER_HUB && !remainder.includes("/")) remainder = `library/${remainder}`;
  return [domain, remainder];
}

/** ParseNormalizedNamed, then Parse: the registry host, repository, tag and digest of an image reference. */
export function parseImageReference(s: string): ParsedRef {
  if (ANCHORED_IDENTIFIER.test(s))
    throw new RefParseError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(":");
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName)
    throw new RefParseError(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (!m) {
    // reference.go Parse: ErrNameEmpty, ErrNameContainsUppercase or ErrReferenceInvalidFormat.
    if (full === "") throw new RefParseError("repository name must have at least one component");
    if (REFERENCE.test(full.toLowerCase())) throw new RefParseError("repository name must be lowercase");
    throw new RefParseError("invalid reference format");
  }
  if (m[1]!.length > NAME_TOTAL_LENGTH_MAX)
    throw new RefParseError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  return { kind: "image", host: domain, repository: m[1]!, tag: m[2] ?? null, digest: m[3] ?? null, alternative: null };
}

/**
 * dockerd's Service.Auth: "https://" prepended when no scheme is given, then the URL's host (Go's url.Parse keeps
 * its case). An empty host means Docker Hub's index.
 */
export function parseLoginArgument(s: string): ParsedRef {
  const withScheme = /^https?:\/\//.test(s) ? s : `https://${s}`;
  const afterScheme = withScheme.replace(/^https?:\/\//, "");
  const hostPart = afterScheme.split(/[/?#]/, 1)[0]!.replace(/^.*@/, "");
  if (hostPart !== "" && !DOMAIN_AND_PORT.test(hostPart))
    throw new RefParseError(`unable to parse server address: invalid host ${JSON.stringify(hostPart)}`);
  return {
    kind: "login",
    host: hostPart === "" ? LEGACY_HUB : hostPart,
    repository: null,
    tag: null,
    digest: null,
    alternative: null,
  };
}

/**
 * The argument as a user means it. A URL (`https://…`) is a `docker login` argument. Without a `/`, a name that
 * can only be a registry (`localhost`, a dotted name, `[::1]`, or `host:port` with a numeric port) is a registry,
 * as `docker login` would read it; a bare `name:digits` with no dot (`myreg:5000`, but also `node:20`) is taken as
 * a registry and the image reading is reported as the alternative. Everything else is an image reference.
 */
export function parseTarget(input: string): ParsedRef {
  const s = input.trim();
  if (s === "") throw new RefParseError("repository name must have at least one component");
  if (/^https?:\/\//i.test(s)) return parseLoginArgument(s.replace(/^https?/i, (x) => x.toLowerCase()));
  if (!s.includes("/") && DOMAIN_AND_PORT.test(s)) {
    const hostOnly = s.replace(/:[0-9]+$/, "");
    const hasPort = hostOnly !== s;
    const registryOnly = hostOnly.includes(".") || hostOnly.startsWith("[") || hostOnly === "localhost";
    if (registryOnly || hasPort) {
      let alternative: string | null = null;
      if (!registryOnly) {
        try {
          alternative = parseImageReference(s).repository! + (hasPort ? `:${s.slice(hostOnly.length + 1)}` : "");
        } catch {
          alternative = null;
        }
      }
      return {
        kind: "registry",
        host: s === LEGACY_HUB ? DOCKER_HUB : s,
        repository: null,
        tag: null,
        digest: null,
        alternative,
      };
    }
  }
  return parseImageReference(s);
}
