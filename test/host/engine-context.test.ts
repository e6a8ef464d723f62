/**
 * Which engine the docker CLI talks to and which buildx builders build (src/host/engine-context.ts), and the rules
 * over them: CD608 wrong-machine and CD609 buildx-ignores-certs-d, on the fixture sysroots remote-context and
 * buildx-container, on this machine through the environment (a temporary HOME, no daemon), and --buildkitd-config.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { placeEngine } from "../../src/host/engine-context.js";
import { cli } from "../helpers/cli.js";
import { NOW, REPO } from "../helpers/fixtures.js";

const SYSROOTS = path.join(REPO, "fixtures", "sysroots");

interface Report {
  findings: Array<{
    ruleId: string;
    severity: string;
    root: string;
    host: string;
    file: string | null;
    headline: string;
    messageId?: string;
    fix?: { text: string };
    runtimes?: string[];
  }>;
  context: {
    dockerEngines: Array<Record<string, unknown>>;
    buildxBuilders: Array<Record<string, unknown>>;
    podmanEngines: Array<Record<string, unknown>>;
  };
}

function json(args: string[], options: Parameters<typeof cli>[1] = {}): { code: number | null; report: Report } {
  const r = cli([...args, "--now", NOW, "--format", "json"], options);
  if (r.stdout === "") throw new Error(r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const engineFindings = (report: Report, base: string) =>
  report.findings
    .filter((f) => f.ruleId === "CD608" || f.ruleId === "CD609")
    .map(
      (f) =>
        `${f.ruleId} ${f.severity} ${path.relative(base, f.root)}/${f.host}${f.file ? `/${f.file}` : ""}: ${f.headline}`,
    );

test("remote-context: the current context is a dockerd on another machine, so /etc/docker/certs.d is not docker's", () => {
  const base = path.join(SYSROOTS, "remote-context");
  const { code, report } = json(["--sysroot", base]);
  expect(code).toBe(0);
  expect(report.context.dockerEngines).toEqual([
    {
      home: "/home/ann",
      context: "build-server",
      contextSource: "/home/ann/.docker/config.json currentContext",
      host: "tcp://10.20.30.40:2376",
      kind: "remote",
      reason: "another machine (10.20.30.40): its dockerd reads its own certs.d",
      error: null,
    },
  ]);
  expect(report.context.buildxBuilders).toEqual([]);
  // podman on Linux pulls with its own engine; the machine connection is only what podman --remote would use.
  expect(report.context.podmanEngines).toEqual([
    {
      home: "/home/ann",
      remote: false,
      source: null,
      connection: "podman-machine-default",
      uri: "ssh://core@127.0.0.1:50123/run/user/1000/podman/podman.sock",
      isMachine: true,
      connectionSource: "/home/ann/.config/containers/podman-connections.json",
      error: null,
    },
  ]);
  expect(engineFindings(report, base)).toEqual([
    "CD608 warning etc/docker/certs.d/myreg:5000: docker pull runs on the engine at 10.20.30.40: it never reads /etc/docker/certs.d",
  ]);
  expect(report.findings.find((f) => f.ruleId === "CD608")).toMatchObject({
    runtimes: ["docker", "docker-containerd"],
  });
  expect(report.findings.find((f) => f.ruleId === "CD608")!.fix!.text).toBe(
    "Put myreg:5000 on the machine the engine runs on (10.20.30.40), in that dockerd's certs root: " +
      "/etc/docker/certs.d/myreg:5000 for a rootful dockerd; docker pull there reads it at the next pull, no restart",
  );
});

test("buildx-container: the current docker-container builder's buildkitd.toml covers other:5000, not myreg:5000", () => {
  const base = path.join(SYSROOTS, "buildx-container");
  const { code, report } = json(["--sysroot", base]);
  expect(code).toBe(0);
  expect(report.context.dockerEngines.map((e) => e.kind)).toEqual(["local"]);
  expect(report.context.buildxBuilders).toEqual([
    {
      home: "/home/ann",
      name: "ci-builder",
      driver: "docker-container",
      endpoints: ["default"],
      current: true,
      readsEngineCertsD: false,
      registries: ["myreg", "other:5000"],
      error: null,
    },
  ]);
  expect(engineFindings(report, base)).toEqual([
    "CD609 warning etc/docker/certs.d/myreg:5000: Buildx builder ci-builder (docker-container, current) never reads /etc/docker/certs.d/myreg:5000",
  ]);
  const f = report.findings.find((x) => x.ruleId === "CD609")!;
  expect(f.messageId).toBe("docker-container");
  expect(f.fix!.text).toContain(
    '[registry."myreg:5000"] ca = ["/etc/docker/certs.d/myreg:5000/ca.crt"] [[registry."myreg:5000".keypair]] ' +
      'cert = "/etc/docker/certs.d/myreg:5000/client.cert" key = "/etc/docker/certs.d/myreg:5000/client.key"',
  );
  expect(f.fix!.text).toMatch(
    /docker buildx rm ci-builder, then docker buildx create --name ci-builder --driver docker-container --config buildkitd\.toml$/,
  );
});

test("stylish shows the engine and the builders in the host-context block", () => {
  const remote = cli(["--sysroot", path.join(SYSROOTS, "remote-context"), "--now", NOW, "--no-color"]).stdout;
  expect(remote).toContain(
    "  docker CLI (/home/ann) talks to tcp://10.20.30.40:2376 (context build-server): another machine (10.20.30.40)",
  );
  const buildx = cli(["--sysroot", path.join(SYSROOTS, "buildx-container"), "--now", NOW, "--no-color"]).stdout;
  expect(buildx).toContain(
    '  buildx builder ci-builder (docker-container, current): its own buildkitd, which reads only its buildkitd.toml ([registry."myreg"], [registry."other:5000"])',
  );
});

test("the reports of both sysroots validate against schema/report.v1.schema.json", () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));
  for (const name of ["remote-context", "buildx-container"]) {
    const { report } = json(["--sysroot", path.join(SYSROOTS, name)]);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  }
});

test("--buildkitd-config: each [registry] table's key, CA and keypair files, in buildkitd's and buildx's words", () => {
  const cwd = path.join(SYSROOTS, "buildx-container", "home", "ann", "buildkit");
  const { code, report } = json(
    ["--sysroot", path.join(SYSROOTS, "remote-context"), "--buildkitd-config", "buildkitd.toml"],
    { cwd },
  );
  expect(code).toBe(1);
  // Findings about the file itself: its directory as root, its name as file (every format points at it).
  const mine = report.findings.filter((f) => f.root === cwd && f.host === "" && f.file === "buildkitd.toml");
  expect(mine.map((f) => `${f.ruleId} ${f.severity} ${f.messageId}: ${f.headline}`)).toEqual([
    "CD609 error key-not-a-host: " +
      '[registry."https://other:5000"] never matches a registry: the key must be host[:port] alone',
    "CD609 error ca-no-certificate: certs/client.key holds no certificate buildkitd can use for https://other:5000",
    "CD609 error ca-unreadable: " +
      "certs/missing.crt for myreg:5000 cannot be read: open certs/missing.crt: no such file or directory",
    "CD609 error keypair-invalid: The keypair for https://other:5000 does not load: " +
      "tls: found a certificate rather than a key in the PEM for the private key",
  ]);
  const why = (id: string) => report.findings.find((f) => f.messageId === id) as unknown as { why: string };
  expect(why("ca-unreadable").why).toContain(
    "buildkitd says: failed to read certs/missing.crt: open certs/missing.crt: no such file or directory; " +
      "docker buildx create --config says: failed to read CA file: certs/missing.crt: open certs/missing.crt: no such file or directory",
  );
  expect(why("keypair-invalid").why).toContain(
    "buildkitd says: failed to load keypair for certs/client.cert: " +
      "tls: found a certificate rather than a key in the PEM for the private key",
  );
  // The good table (myreg:5000's ca.crt and its client pair) gives nothing but the missing CA.
  expect(mine.filter((f) => f.headline.includes("myreg:5000")).map((f) => f.messageId)).toEqual(["ca-unreadable"]);
});

test("--buildkitd-config: a missing file and a TOML syntax error, and the rule switched off", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-bk-"));
  try {
    const sysroot = ["--sysroot", path.join(SYSROOTS, "remote-context")];
    const missing = json([...sysroot, "--buildkitd-config", "nope.toml"], { cwd: dir }).report;
    expect(missing.findings.filter((f) => f.ruleId === "CD609").map((f) => f.headline)).toEqual([
      "nope.toml: buildkit configuration file not found: nope.toml: stat nope.toml: no such file or directory",
    ]);
    writeFileSync(path.join(dir, "bad.toml"), '[registry."myreg:5000"\nca = ["x"]\n');
    const bad = json([...sysroot, "--buildkitd-config", "bad.toml"], { cwd: dir }).report;
    const f = bad.findings.filter((x) => x.ruleId === "CD609");
    expect(f).toHaveLength(1);
    expect(f[0]!.headline).toMatch(
      /^bad\.toml: failed to load buildkit configuration file: bad\.toml: failed to parse config: toml: /,
    );
    const off = json([...sysroot, "--buildkitd-config", "bad.toml", "--rule", "CD609=off"], { cwd: dir }).report;
    expect(off.findings.filter((x) => x.ruleId === "CD609")).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("this machine: the docker CLI's engine from the environment (a temporary HOME, no daemon)", () => {
  let home: string;
  const ca = path.join(REPO, "fixtures", "sysroots", "remote-context", "etc", "docker", "certs.d", "myreg:5000");
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "certsd-home-"));
    // Docker Desktop's root, the rootless root and containers/image's per-user root of this user, each with a CA.
    for (const root of [".docker/certs.d", ".config/docker/certs.d", ".config/containers/certs.d"]) {
      mkdirSync(path.join(home, root, "myreg:5000"), { recursive: true });
      copyFileSync(path.join(ca, "ca.crt"), path.join(home, root, "myreg:5000", "ca.crt"));
    }
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const env = (more: Record<string, string>) => ({
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    DOCKER_HOST: "",
    DOCKER_CONTEXT: "",
    DOCKER_CONFIG: "",
    BUILDX_CONFIG: "",
    CONTAINER_HOST: "",
    CONTAINER_CONNECTION: "",
    CONTAINERS_CONF: "",
    PODMAN_CONNECTIONS_CONF: "",
    XDG_RUNTIME_DIR: "/run/user/1000",
    ...more,
  });
  /** CD608 on the temporary home's roots only (this machine's own /etc is not the test's). */
  const lintHome = (more: Record<string, string>) => {
    const { report } = json(["--host", "--allow-empty"], { env: env(more) });
    return {
      engine: report.context.dockerEngines,
      podman: report.context.podmanEngines,
      cd608: report.findings
        .filter((f) => f.ruleId === "CD608" && f.root.startsWith(home))
        .map((f) => `${path.relative(home, f.root)}/${f.host} ${f.messageId}`),
      podmanFixes: report.findings
        .filter((f) => f.ruleId === "CD608" && f.root.startsWith(home) && f.runtimes?.includes("podman"))
        .map((f) => f.fix!.text),
    };
  };

  test("DOCKER_HOST=tcp://10.1.2.3:2376: every Docker root of this user is irrelevant to docker pull", () => {
    const r = lintHome({ DOCKER_HOST: "tcp://10.1.2.3:2376" });
    expect(r.engine).toEqual([
      {
        home,
        context: "default",
        contextSource: "DOCKER_HOST",
        host: "tcp://10.1.2.3:2376",
        kind: "remote",
        reason: "another machine (10.1.2.3): its dockerd reads its own certs.d",
        error: null,
      },
    ]);
    expect(r.cd608).toEqual([".config/docker/certs.d/myreg:5000 remote", ".docker/certs.d/myreg:5000 remote"]);
  });

  test("DOCKER_HOST wins over DOCKER_CONTEXT; a rootless socket makes only ~/.config/docker/certs.d docker's", () => {
    const r = lintHome({ DOCKER_HOST: "unix:///run/user/1000/docker.sock", DOCKER_CONTEXT: "desktop-linux" });
    expect(r.engine.map((e) => [e.context, e.kind])).toEqual([["default", "rootless"]]);
    expect(r.cd608).toEqual([".docker/certs.d/myreg:5000 rootless"]);
  });

  test("DOCKER_CONTEXT=desktop-linux from contexts/meta: Desktop reads ~/.docker/certs.d, not the rootless root", () => {
    const meta = path.join(
      home,
      ".docker",
      "contexts",
      "meta",
      createHash("sha256").update("desktop-linux").digest("hex"),
      "meta.json",
    );
    mkdirSync(path.dirname(meta), { recursive: true });
    const sock = `unix://${home}/.docker/desktop/docker.sock`;
    writeFileSync(meta, JSON.stringify({ Name: "desktop-linux", Endpoints: { docker: { Host: sock } } }));
    const r = lintHome({ DOCKER_CONTEXT: "desktop-linux" });
    expect(r.engine.map((e) => [e.context, e.contextSource, e.host, e.kind])).toEqual([
      ["desktop-linux", "DOCKER_CONTEXT", sock, "desktop"],
    ]);
    expect(r.cd608).toEqual([".config/docker/certs.d/myreg:5000 desktop"]);
  });

  test("CONTAINER_CONNECTION names a podman machine connection: podman's roots here are not read by podman pull", () => {
    mkdirSync(path.join(home, ".config", "containers"), { recursive: true });
    writeFileSync(
      path.join(home, ".config", "containers", "podman-connections.json"),
      JSON.stringify({
        Connection: {
          Connections: {
            "podman-machine-default": {
              URI: "ssh://core@127.0.0.1:50123/run/user/1000/podman/podman.sock",
              IsMachine: true,
            },
          },
        },
      }),
    );
    const r = lintHome({ CONTAINER_CONNECTION: "podman-machine-default" });
    expect(r.podman).toEqual([
      {
        home,
        remote: true,
        source: "CONTAINER_CONNECTION",
        connection: "podman-machine-default",
        uri: "ssh://core@127.0.0.1:50123/run/user/1000/podman/podman.sock",
        isMachine: true,
        connectionSource: path.join(home, ".config", "containers", "podman-connections.json"),
        error: null,
      },
    ]);
    expect(r.cd608).toEqual([".config/containers/certs.d/myreg:5000 podman-machine-connection"]);
    expect(r.podmanFixes).toEqual([
      "Put myreg:5000 inside the VM: podman machine ssh, then create /etc/containers/certs.d/myreg:5000 there " +
        "(with sudo) and copy the files into it; or unset CONTAINER_CONNECTION to pull with this machine's podman",
    ]);
  });

  test("CONTAINER_HOST on a local socket is this machine's podman service; an unknown connection is an error", () => {
    expect(lintHome({ CONTAINER_HOST: "unix:///run/podman/podman.sock" }).cd608).toEqual([]);
    const r = lintHome({ CONTAINER_CONNECTION: "nowhere" });
    expect(r.podman.map((p) => p.error)).toEqual(['connection "nowhere" not found']);
    expect(r.cd608).toEqual([]);
  });

  test("a current context without its meta.json: the docker CLI's error, and no finding", () => {
    mkdirSync(path.join(home, ".docker"), { recursive: true });
    writeFileSync(path.join(home, ".docker", "config.json"), JSON.stringify({ currentContext: "gone" }));
    const r = lintHome({});
    const dir = createHash("sha256").update("gone").digest("hex");
    expect(r.engine.map((e) => e.error)).toEqual([
      `unable to resolve docker endpoint: context "gone": context not found: open ${home}/.docker/contexts/meta/${dir}/meta.json: no such file or directory`,
    ]);
    expect(r.cd608).toEqual([]);
  });
});

test.each([
  ["unix:///var/run/docker.sock", "default", "local"],
  ["unix:///run/docker.sock", "default", "local"],
  ["unix:///run/user/1000/docker.sock", "default", "rootless"],
  ["unix:///home/ann/.docker/desktop/docker.sock", "desktop-linux", "desktop"],
  ["unix:///home/ann/.docker/run/docker.sock", "default", "desktop"],
  ["npipe:////./pipe/dockerDesktopLinuxEngine", "default", "desktop"],
  ["unix:///run/user/1000/podman/podman-machine-default-api.sock", "default", "podman-machine"],
  ["unix:///home/ann/.local/share/containers/podman/machine/qemu/dev/podman.sock", "default", "podman-machine"],
  ["tcp://10.20.30.40:2376", "build", "remote"],
  ["ssh://me@build.internal", "build", "remote"],
  ["tcp://127.0.0.1:2375", "default", "unknown"],
  ["unix:///home/ann/.colima/default/docker.sock", "colima", "unknown"],
])("placeEngine(%s, context %s) is %s", (host, context, kind) => {
  expect(placeEngine(host, context, { home: "/home/ann", xdg: "/home/ann/.config" }, null).kind).toBe(kind);
});

test("placeEngine names the podman machine from its socket", () => {
  const u = { home: "/home/ann", xdg: "/home/ann/.config" };
  expect(placeEngine("unix:///tmp/podman/podman-machine-default-api.sock", "default", u, null).machine).toBe(
    "podman-machine-default",
  );
  expect(
    placeEngine("unix:///home/ann/.local/share/containers/podman/machine/qemu/dev/podman.sock", "default", u, null)
      .machine,
  ).toBe("dev");
});

test("CD609 on a built sysroot: a remote builder, and a kubernetes builder whose table lacks the keypair", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "certsd-buildx-"));
  try {
    const src = path.join(SYSROOTS, "buildx-container", "etc", "docker", "certs.d", "myreg:5000");
    const dir = path.join(root, "etc", "docker", "certs.d", "myreg:5000");
    mkdirSync(dir, { recursive: true });
    for (const f of ["ca.crt", "client.cert", "client.key"]) copyFileSync(path.join(src, f), path.join(dir, f));
    const instances = path.join(root, "home", "bob", ".docker", "buildx", "instances");
    mkdirSync(instances, { recursive: true });
    const toml = Buffer.from('[registry."myreg:5000"]\n  ca = ["/etc/buildkit/certs/myreg_5000/ca.crt"]\n');
    writeFileSync(
      path.join(instances, "remote1"),
      JSON.stringify({
        Name: "remote1",
        Driver: "remote",
        Nodes: [{ Name: "remote10", Endpoint: "tcp://buildkitd:1234" }],
      }),
    );
    writeFileSync(
      path.join(instances, "kube"),
      JSON.stringify({
        Name: "kube",
        Driver: "kubernetes",
        Nodes: [
          {
            Name: "kube0",
            Endpoint: "kubernetes:///kube?deploymentName=kube0",
            Files: { "buildkitd.toml": toml.toString("base64") },
          },
        ],
      }),
    );
    writeFileSync(
      path.join(root, "home", "bob", ".docker", "buildx", "current"),
      JSON.stringify({ Key: "unix:///var/run/docker.sock", Name: "remote1", Global: false }),
    );
    const { report } = json(["--sysroot", root]);
    const f = report.findings.filter((x) => x.ruleId === "CD609") as Array<
      Report["findings"][number] & { why: string }
    >;
    expect(f.map((x) => `${x.severity} ${x.messageId}: ${x.headline}`)).toEqual([
      "info kubernetes: Buildx builder kube (kubernetes) never reads /etc/docker/certs.d/myreg:5000",
      "warning remote: Buildx builder remote1 (remote, current) never reads /etc/docker/certs.d/myreg:5000",
    ]);
    expect(f[0]!.why).toMatch(/Its \[registry."myreg:5000"\] table has no keypair\.$/);
    expect(f[0]!.fix!.text).toMatch(
      /--driver kubernetes --config buildkitd\.toml \(with its --driver-opt options again\)$/,
    );
    expect(f[1]!.fix!.text).toMatch(
      /^buildx cannot give a remote builder a configuration \("setting config file is not supported for remote driver"\): .* the buildkitd at tcp:\/\/buildkitd:1234 /,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
