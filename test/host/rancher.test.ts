/**
 * k3s/RKE2 registries.yaml and the generated certs.d (src/host/rancher.ts), on real files in temporary sysroots. The
 * expected host directories and endpoints are those of k3s's own Test_UnitGetHostConfigs
 * (k3s-io/k3s pkg/agent/containerd/config_test.go @ 06ea261ce3), with the embedded registry off and the default
 * endpoint on; the tree's fate follows cleanContainerdHosts (config.go).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Machine } from "../../src/host/discover.js";
import { discoverRancher, readRegistriesYaml } from "../../src/host/rancher.js";

const K3S_YAML = "etc/rancher/k3s/registries.yaml";
const K3S_TREE = "var/lib/rancher/k3s/agent/etc/containerd/certs.d";
const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sysroot(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-rancher-"));
  tmp.push(dir);
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  }
  return dir;
}

function generated(yaml: string): Record<string, string[]> {
  const [node] = discoverRancher(new Machine(sysroot({ [K3S_YAML]: yaml })));
  return Object.fromEntries(
    node!.generated.map((g) => [
      g.dir,
      g.endpoints.map((e) => `${e.isDefault ? "default" : "mirror"} ${e.url}${e.overridePath ? " override_path" : ""}`),
    ]),
  );
}

test.each([
  ["no registries", "", {}],
  ["registry with default endpoint", "mirrors:\n  docker.io:\n", {}],
  [
    "registry with default endpoint explicitly listed",
    "mirrors:\n  docker.io:\n    endpoint:\n      - docker.io\n",
    {},
  ],
  [
    "registry with only creds",
    "configs:\n  docker.io:\n    auth:\n      username: user\n      password: pass\n",
    { "docker.io": ["default https://registry-1.docker.io/v2"] },
  ],
  ["private registry with default endpoint", "mirrors:\n  registry.example.com:\n", {}],
  [
    "registry with mirror endpoint - hostname only with override path",
    "mirrors:\n  docker.io:\n    endpoint:\n      - registry.example.com/prefix/v2\n",
    {
      "docker.io": [
        "default https://registry-1.docker.io/v2",
        "mirror https://registry.example.com/prefix/v2 override_path",
      ],
    },
  ],
  [
    "registry with mirror endpoint - duplicate endpoints in different formats",
    "mirrors:\n  docker.io:\n    endpoint:\n      - registry.example.com\n      - https://registry.example.com\n      - https://registry.example.com/v2\n",
    { "docker.io": ["default https://registry-1.docker.io/v2", "mirror https://registry.example.com/v2"] },
  ],
  [
    "registry with mirror endpoint - localhost and port only",
    "mirrors:\n  docker.io:\n    endpoint:\n      - localhost:5000\n",
    { "docker.io": ["default https://registry-1.docker.io/v2", "mirror http://localhost:5000/v2"] },
  ],
  [
    "registry with mirror endpoint - loopback ip and port with scheme",
    "mirrors:\n  docker.io:\n    endpoint:\n      - https://127.0.0.1:5000\n",
    { "docker.io": ["default https://registry-1.docker.io/v2", "mirror https://127.0.0.1:5000/v2"] },
  ],
  [
    "registry with mirror endpoint and mirror creds",
    "mirrors:\n  docker.io:\n    endpoint:\n      - https://registry.example.com/v2\nconfigs:\n  registry.example.com:\n    auth:\n      username: user\n      password: pass\n",
    {
      "docker.io": ["default https://registry-1.docker.io/v2", "mirror https://registry.example.com/v2"],
      "registry.example.com": ["default https://registry.example.com/v2"],
    },
  ],
  ["wildcard mirror endpoint - no endpoints", 'mirrors:\n  "*":\n', {}],
  [
    "wildcard mirror endpoint - full URL",
    'mirrors:\n  "*":\n    endpoint:\n      - https://registry.example.com/v2\n',
    { _default: ["default ", "mirror https://registry.example.com/v2"] },
  ],
  [
    "wildcard config",
    'configs:\n  "*":\n    auth:\n      username: user\n      password: pass\n    tls:\n      insecure_skip_verify: true\n',
    { _default: ["default "] },
  ],
  ["localhost registry - default http endpoint on odd port", 'mirrors:\n  "localhost:5000":\n', {}],
])("getHostConfigs: %s", (_name, yaml, want) => {
  expect(generated(yaml)).toEqual(want);
});

test("tls maps to the hosts.toml keys, and the named files are looked up inside the sysroot", () => {
  const dir = sysroot({
    [K3S_YAML]:
      'configs:\n  "myreg:5000":\n    tls:\n      ca_file: /etc/pki/ca.crt\n      cert_file: /etc/pki/c.cert\n' +
      "      key_file: client.key\n      insecure_skip_verify: yes\n",
    "etc/pki/ca.crt": "x",
  });
  const [node] = discoverRancher(new Machine(dir));
  expect(node!.generated).toEqual([
    {
      dir: "myreg:5000",
      endpoints: [
        {
          url: "https://myreg:5000/v2",
          isDefault: true,
          configKey: "myreg:5000",
          ca: "/etc/pki/ca.crt",
          client: ["/etc/pki/c.cert", "client.key"],
          // yaml.v2 decodes YAML 1.1 booleans: yes is true.
          skipVerify: true,
          overridePath: false,
        },
      ],
      files: [
        { role: "ca_file", value: "/etc/pki/ca.crt", path: "/etc/pki/ca.crt", exists: true, configKey: "myreg:5000" },
        {
          role: "cert_file",
          value: "/etc/pki/c.cert",
          path: "/etc/pki/c.cert",
          exists: false,
          configKey: "myreg:5000",
        },
        // A relative path names a file in the host directory, which the start empties.
        {
          role: "key_file",
          value: "client.key",
          path: `/${K3S_TREE}/myreg:5000/client.key`,
          exists: false,
          configKey: "myreg:5000",
        },
      ],
    },
  ]);
});

test("cleanContainerdHosts: generated or configured directories go, hand-made ones stay", () => {
  const header = "# File generated by k3s. DO NOT EDIT.\n";
  const dir = sysroot({
    [K3S_YAML]: 'configs:\n  "conf:5000":\n    tls:\n      ca_file: /etc/pki/ca.crt\n',
    "etc/pki/ca.crt": "x",
    // Configured: removed whole whatever it holds, header or not.
    [`${K3S_TREE}/conf:5000/hosts.toml`]: '[host."https://conf:5000"]\n  ca = ["ca.crt"]\n',
    [`${K3S_TREE}/conf:5000/ca.crt`]: "x",
    // Generated earlier, no longer configured: removed.
    [`${K3S_TREE}/stale:5000/hosts.toml`]: `${header}server = "https://stale:5000/v2"\n`,
    // Not the header byte for byte (CRLF), or no line end at all: left alone.
    [`${K3S_TREE}/crlf:5000/hosts.toml`]: header.replace("\n", "\r\n"),
    [`${K3S_TREE}/noeol:5000/hosts.toml`]: header.trimEnd(),
    // Hand-made, not configured: left alone.
    [`${K3S_TREE}/hand:5000/ca.crt`]: "x",
  });
  const [node] = discoverRancher(new Machine(dir));
  const fates = Object.values(node!.fates).map((f) => [f.dir, f.fate, f.deleted, f.yaml]);
  expect(fates).toEqual([
    [
      "conf:5000",
      "replaced",
      ["ca.crt"],
      // registries.yaml already names a CA: nothing to add.
      null,
    ],
    ["stale:5000", "removed", ["hosts.toml"], null],
  ]);
});

test("registries.yaml the agent refuses: syntax and type errors, and no prediction for the tree", () => {
  const syntax = readRegistriesYaml(
    "k3s",
    "/etc/rancher/k3s/registries.yaml",
    Buffer.from("mirrors:\n  docker.io:\n  endpoint: [x\n"),
  );
  expect(syntax.error).toMatch(
    /^\/etc\/rancher\/k3s\/registries\.yaml: not valid YAML \(line \d+\): .*; k3s does not start$/,
  );
  const type = readRegistriesYaml(
    "rke2",
    "/etc/rancher/rke2/registries.yaml",
    Buffer.from('mirrors:\n  docker.io:\n    endpoint: "https://mirror.internal:5000"\n'),
  );
  expect(type.error).toBe(
    "/etc/rancher/rke2/registries.yaml: line 3: mirrors.docker.io.endpoint is not a list of URLs; rke2 does not start",
  );
  const dir = sysroot({
    [K3S_YAML]: "configs: [\n",
    [`${K3S_TREE}/stale:5000/hosts.toml`]: "# File generated by k3s. DO NOT EDIT.\n",
  });
  const [node] = discoverRancher(new Machine(dir));
  expect(node!.registriesYaml!.error).toMatch(/not valid YAML/);
  expect(node!.fates).toEqual({});
});

test("config.yaml: private-registry moves registries.yaml, disable-default-registry-endpoint drops mirrors' default", () => {
  const dir = sysroot({
    "etc/rancher/k3s/config.yaml": "private-registry: /etc/k3s-registries.yaml\n",
    "etc/rancher/k3s/config.yaml.d/50-airgap.yaml": "disable-default-registry-endpoint: true\n",
    // Not read: config.yaml names another file.
    [K3S_YAML]: 'configs:\n  "ignored:5000":\n    tls:\n      insecure_skip_verify: true\n',
    "etc/k3s-registries.yaml":
      "mirrors:\n  docker.io:\n    endpoint:\n      - https://registry.example.com/v2\n      - docker.io\n" +
      "configs:\n  registry.example.com:\n    auth:\n      username: user\n      password: pass\n",
  });
  const [node] = discoverRancher(new Machine(dir));
  expect(node!.registriesYamlPath).toBe("/etc/k3s-registries.yaml");
  // k3s's "no default endpoint, default endpoint explicitly listed" cases: docker.io keeps it as a mirror endpoint.
  expect(
    Object.fromEntries(
      node!.generated.map((g) => [g.dir, g.endpoints.map((e) => `${e.isDefault ? "default" : "mirror"} ${e.url}`)]),
    ),
  ).toEqual({
    "docker.io": ["mirror https://registry.example.com/v2", "mirror https://registry-1.docker.io/v2"],
    "registry.example.com": ["default https://registry.example.com/v2"],
  });
});
