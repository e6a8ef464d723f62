/**
 * Reference parsing as docker/distribution's grammar does it (distribution/reference v0.6.0 normalize.go,
 * reference.go), and `docker login` arguments as dockerd's Service.Auth reads them.
 */
import { parseImageReference, parseTarget } from "../../src/runtimes/reference.js";

const DIGEST = "sha256:" + "a".repeat(64);

test.each([
  // [input, kind, host, repository, tag, digest]
  ["myreg:5000/team/app:1.0", "image", "myreg:5000", "myreg:5000/team/app", "1.0", null],
  [`myreg:5000/team/app@${DIGEST}`, "image", "myreg:5000", "myreg:5000/team/app", null, DIGEST],
  [`myreg:5000/team/app:1.0@${DIGEST}`, "image", "myreg:5000", "myreg:5000/team/app", "1.0", DIGEST],
  ["alpine", "image", "docker.io", "docker.io/library/alpine", null, null],
  ["alpine:3.19", "image", "docker.io", "docker.io/library/alpine", "3.19", null],
  ["team/app", "image", "docker.io", "docker.io/team/app", null, null],
  ["index.docker.io/library/alpine", "image", "docker.io", "docker.io/library/alpine", null, null],
  ["docker.io/alpine", "image", "docker.io", "docker.io/library/alpine", null, null],
  // Only index.docker.io is rewritten (normalize.go legacyDefaultDomain); registry-1.docker.io stays as written.
  [
    "registry-1.docker.io/library/alpine",
    "image",
    "registry-1.docker.io",
    "registry-1.docker.io/library/alpine",
    null,
    null,
  ],
  ["localhost/app", "image", "localhost", "localhost/app", null, null],
  ["localhost:5000/app:v1", "image", "localhost:5000", "localhost:5000/app", "v1", null],
  // An uppercase first component is a domain (splitDockerDomain), kept as written.
  ["MyReg/app", "image", "MyReg", "MyReg/app", null, null],
  ["MyReg.Example:5000/app", "image", "MyReg.Example:5000", "MyReg.Example:5000/app", null, null],
  ["[::1]:5000/app:1", "image", "[::1]:5000", "[::1]:5000/app", "1", null],
  ["[2001:db8::1]/app", "image", "[2001:db8::1]", "[2001:db8::1]/app", null, null],
  // Registries, as docker login takes them.
  ["myreg:5000", "registry", "myreg:5000", null, null, null],
  ["myreg.example.com", "registry", "myreg.example.com", null, null, null],
  ["localhost", "registry", "localhost", null, null, null],
  ["[::1]:5000", "registry", "[::1]:5000", null, null, null],
  ["index.docker.io", "registry", "docker.io", null, null, null],
  // URLs: the host part, whatever the path (dockerd Service.Auth).
  ["https://myreg:5000/v1/", "login", "myreg:5000", null, null, null],
  ["http://myreg:5000", "login", "myreg:5000", null, null, null],
  ["https://[::1]:5000/v2/", "login", "[::1]:5000", null, null, null],
  ["https://index.docker.io/v1/", "login", "index.docker.io", null, null, null],
  ["HTTPS://MyReg:5000/", "login", "MyReg:5000", null, null, null],
])("%s → %s %s", (input, kind, host, repository, tag, digest) => {
  const r = parseTarget(input);
  expect([r.kind, r.host, r.repository, r.tag, r.digest]).toEqual([kind, host, repository, tag, digest]);
});

test("a bare name:digits is a registry, and the Docker Hub image it could be is given as the alternative", () => {
  expect(parseTarget("node:20")).toMatchObject({
    kind: "registry",
    host: "node:20",
    alternative: "docker.io/library/node:20",
  });
  expect(parseTarget("myreg.example:5000").alternative).toBeNull();
});

test.each([
  // distribution/reference's own texts.
  ["myreg:5000/Team/app", "invalid reference format: repository name (Team/app) must be lowercase"],
  ["Alpine", "invalid reference format: repository name (library/Alpine) must be lowercase"],
  ["a".repeat(64), `invalid repository name (${"a".repeat(64)}), cannot specify 64-byte hexadecimal strings`],
  ["myreg:5000/app:", "invalid reference format"],
  ["myreg:5000/app@sha256:abc", "invalid reference format"],
  ["my reg/app", "invalid reference format"],
  ["-app", "invalid reference format"],
  ["", "repository name must have at least one component"],
  [`myreg/${"a".repeat(250)}`, "repository name must not be more than 255 characters"],
])("%s is refused: %s", (input, message) => {
  expect(() => parseTarget(input)).toThrow(message);
});

test("parseImageReference reads a registry-looking name as Docker Hub's image, as docker pull would", () => {
  expect(parseImageReference("myreg:5000")).toMatchObject({
    host: "docker.io",
    repository: "docker.io/library/myreg",
    tag: "5000",
  });
});
