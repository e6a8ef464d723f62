/**
 * `certsd-lint where`: one test per row of loader-semantics §10 that concerns which directory is read (Root(s), Host
 * directory name, Docker Hub directory, Mirror certificates, Insecure or localhost), on temporary sysroots (the real
 * /etc is never looked at), plus exit codes, the 80-column text and the JSON schema.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";
import type { WhereJson } from "../../src/cli/where.js";
import type { WhereAnswer } from "../../src/runtimes/where.js";

const HOME = "/home/u";
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A sysroot holding these directories (absolute paths as the runtimes see them). */
function sysroot(...dirs: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "where-"));
  made.push(root);
  for (const d of dirs) mkdirSync(path.join(root, d), { recursive: true });
  return root;
}

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "where.v1.schema.json"), "utf8")));

function where(ref: string, sys: string, ...flags: string[]): WhereJson {
  const r = cli(["where", ref, "--sysroot", sys, "--format", "json", ...flags], { env: { HOME } });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as WhereJson;
  expect(validate(json) ? [] : validate.errors).toEqual([]);
  return json;
}

function row(j: WhereJson, id: string): WhereAnswer {
  return j.runtimes.find((a) => a.runtime === id)!;
}

const tried = (a: WhereAnswer) => a.candidates.map((c) => `${c.path} ${c.state}`);

describe("§10 Root(s)", () => {
  test("each runtime's conventional roots, in order", () => {
    const j = where("myreg:5000/app", sysroot());
    expect(j.runtimes.map((a) => a.runtime)).toEqual(["docker", "docker-containerd", "containerd", "podman"]);
    expect(row(j, "docker").candidates.map((c) => c.path)).toEqual(["/etc/docker/certs.d/myreg:5000"]);
    expect(row(j, "docker-containerd").candidates.map((c) => c.path)).toEqual([
      "/etc/docker/certs.d/myreg_5000_",
      "/etc/docker/certs.d/myreg:5000",
      "/etc/docker/certs.d/_default",
    ]);
    // containerd 2.2's default config_path: /etc/containerd/certs.d:/etc/docker/certs.d.
    expect(row(j, "containerd").candidates.map((c) => c.path)).toEqual([
      "/etc/containerd/certs.d/myreg_5000_",
      "/etc/containerd/certs.d/myreg:5000",
      "/etc/containerd/certs.d/_default",
      "/etc/docker/certs.d/myreg_5000_",
      "/etc/docker/certs.d/myreg:5000",
      "/etc/docker/certs.d/_default",
    ]);
    expect(row(j, "podman").candidates.map((c) => c.path)).toEqual([
      `${HOME}/.config/containers/certs.d/myreg:5000`,
      "/etc/containers/certs.d/myreg:5000",
      "/etc/docker/certs.d/myreg:5000",
    ]);
    for (const a of j.runtimes) expect(a.status).toBe("no-directory");
  });

  test("containerd before 2.2 has no default config_path: /etc/containerd/certs.d alone, and a note says so", () => {
    const a = row(
      where("myreg:5000/app", sysroot("/etc/docker/certs.d/myreg:5000"), "--containerd-version", "2.1"),
      "containerd",
    );
    expect(a.candidates.map((c) => c.path)).toEqual([
      "/etc/containerd/certs.d/myreg_5000_",
      "/etc/containerd/certs.d/myreg:5000",
      "/etc/containerd/certs.d/_default",
    ]);
    expect(a.status).toBe("no-directory");
    expect(a.notes.join(" ")).toContain("no default config_path");
  });

  test("containerd stops at the first root that yields a directory: /etc/containerd/certs.d/_default hides /etc/docker/certs.d/<host>", () => {
    const sys = sysroot("/etc/containerd/certs.d/_default", "/etc/docker/certs.d/myreg:5000");
    // Local pulls split the default list (transfer-service pulls would take it as one directory: see below).
    writeFileSync(
      path.join(sys, "etc/containerd/config.toml"),
      'version = 3\n\n[plugins."io.containerd.cri.v1.images"]\n  use_local_image_pull = true\n',
    );
    const a = row(where("myreg:5000/app", sys), "containerd");
    expect(a).toMatchObject({ status: "reads", directory: "/etc/containerd/certs.d/_default" });
    expect(a.candidates).toHaveLength(3);
  });

  test("podman: the first existing directory wins, an empty one included, with no merging", () => {
    const sys = sysroot(`${HOME}/.config/containers/certs.d/myreg:5000`, "/etc/containers/certs.d/myreg:5000");
    expect(row(where("myreg:5000/app", sys), "podman").directory).toBe(`${HOME}/.config/containers/certs.d/myreg:5000`);
    const sys2 = sysroot("/etc/containers/certs.d/myreg:5000", "/etc/docker/certs.d/myreg:5000");
    expect(tried(row(where("myreg:5000/app", sys2), "podman"))).toEqual([
      `${HOME}/.config/containers/certs.d/myreg:5000 missing`,
      "/etc/containers/certs.d/myreg:5000 exists",
    ]);
  });

  test("--root: every runtime is asked about that one root", () => {
    const sys = sysroot("/srv/certs.d/myreg:5000");
    const j = where("myreg:5000/app", sys, "--root", "/srv/certs.d");
    expect(j.options.root).toBe("/srv/certs.d");
    for (const a of j.runtimes) {
      expect(a.directory).toBe("/srv/certs.d/myreg:5000");
      for (const c of a.candidates) expect(c.path.startsWith("/srv/certs.d/")).toBe(true);
    }
  });

  test("--root without --sysroot is a real directory, resolved from the working directory", () => {
    const real = sysroot("certs.d/myreg:5000");
    const r = cli(["where", "myreg:5000", "--root", "certs.d", "--format", "json", "--runtime", "docker"], {
      cwd: real,
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as WhereJson).runtimes[0]!.directory).toBe(path.join(real, "certs.d", "myreg:5000"));
  });

  test("--sysroot: an absolute symbolic link is followed inside the sysroot, never outside it", () => {
    const outside = sysroot("/myreg:5000");
    const sys = sysroot("/etc/docker", "/elsewhere/certs.d/myreg:5000");
    symlinkSync("/elsewhere/certs.d", path.join(sys, "etc/docker/certs.d"));
    expect(row(where("myreg:5000/app", sys), "docker").directory).toBe("/etc/docker/certs.d/myreg:5000");
    const sys2 = sysroot("/etc/docker");
    symlinkSync(outside, path.join(sys2, "etc/docker/certs.d")); // exists outside the sysroot only
    expect(row(where("myreg:5000/app", sys2), "docker").status).toBe("no-directory");
  });

  test("a path through a file is an error, not a miss (Go's os.IsNotExist is false for ENOTDIR)", () => {
    const sys = sysroot("/etc/docker");
    writeFileSync(path.join(sys, "etc/docker/certs.d"), "");
    const a = row(where("myreg:5000/app", sys), "docker-containerd");
    expect(a.status).toBe("error");
    expect(a.reason).toBe("stat /etc/docker/certs.d/myreg_5000_: not a directory");
  });
});

describe("§10 Host directory name", () => {
  test("Docker classic and podman read host:port exactly; the containerd family tries host_port_ first", () => {
    const sys = sysroot("/etc/docker/certs.d/myreg_5000_", "/etc/docker/certs.d/myreg:5000");
    const j = where("myreg:5000/team/app:1.0", sys);
    expect(row(j, "docker").directory).toBe("/etc/docker/certs.d/myreg:5000");
    expect(row(j, "podman").directory).toBe("/etc/docker/certs.d/myreg:5000");
    expect(row(j, "docker-containerd").directory).toBe("/etc/docker/certs.d/myreg_5000_");
    expect(row(j, "containerd").directory).toBe("/etc/docker/certs.d/myreg_5000_");
  });

  test("only the containerd family falls back to _default", () => {
    const j = where("myreg:5000/app", sysroot("/etc/docker/certs.d/_default"));
    expect(row(j, "docker").status).toBe("no-directory");
    expect(row(j, "podman").status).toBe("no-directory");
    expect(row(j, "docker-containerd").directory).toBe("/etc/docker/certs.d/_default");
    expect(row(j, "containerd").directory).toBe("/etc/docker/certs.d/_default");
  });

  test("no port normalisation or case folding: myreg:443 is not myreg, MyReg is not myreg", () => {
    const sys = sysroot("/etc/docker/certs.d/myreg", "/etc/docker/certs.d/myreg.example");
    expect(row(where("myreg:443/app", sys), "docker").status).toBe("no-directory");
    expect(row(where("MyReg.example/app", sys), "docker").candidates[0]!.path).toBe(
      "/etc/docker/certs.d/MyReg.example",
    );
  });

  test("Windows drops the colon for Docker classic (myreg5000) and for containerd's second candidate", () => {
    const j = where("myreg:5000/app", sysroot());
    expect(row(j, "docker").notes).toContain("Windows: %PROGRAMDATA%\\docker\\certs.d\\myreg5000 (colons removed)");
    expect(row(j, "containerd").notes).toContain("Windows: myreg_5000_, then myreg5000, then _default (colon removed)");
  });

  test("IPv6: the bracketed host as written, and containerd's port spelling from the last colon", () => {
    const a = row(where("[::1]:5000/app", sysroot()), "containerd");
    expect(a.candidates.slice(0, 2).map((c) => c.path)).toEqual([
      "/etc/containerd/certs.d/[::1]_5000_",
      "/etc/containerd/certs.d/[::1]:5000",
    ]);
  });
});

describe("§10 Docker Hub directory", () => {
  test.each([
    "alpine",
    "library/alpine:3.19",
    "docker.io/library/alpine",
    "index.docker.io/library/alpine",
    "https://index.docker.io/v1/",
  ])(
    "%s: classic reads none even when certs.d/docker.io exists; the containerd family and podman read docker.io",
    (ref) => {
      const j = where(ref, sysroot("/etc/docker/certs.d/docker.io", "/etc/docker/certs.d/index.docker.io"));
      expect(row(j, "docker")).toMatchObject({ status: "skipped", directory: null, candidates: [] });
      expect(row(j, "docker").reason).toContain("Docker Hub");
      if (ref.startsWith("https://")) return; // a login argument: the classic path only matters
      expect(row(j, "docker-containerd").directory).toBe("/etc/docker/certs.d/docker.io");
      expect(row(j, "containerd").directory).toBe("/etc/docker/certs.d/docker.io");
      expect(row(j, "podman").directory).toBe("/etc/docker/certs.d/docker.io");
    },
  );

  test("registry-1.docker.io named literally is an ordinary host for classic Docker", () => {
    const j = where("registry-1.docker.io/library/alpine", sysroot("/etc/docker/certs.d/registry-1.docker.io"));
    expect(row(j, "docker").directory).toBe("/etc/docker/certs.d/registry-1.docker.io");
  });
});

describe("§10 Mirror certificates", () => {
  test("without --host or --sysroot, mirrors are unknown and the answer says so", () => {
    const r = cli(["where", "alpine", "--format", "json"], { env: { HOME } });
    const j = JSON.parse(r.stdout) as WhereJson;
    expect(validate(j) ? [] : validate.errors).toEqual([]);
    expect(j.context).toBeNull();
    expect(row(j, "docker").mirrors).toBeNull();
    expect(row(j, "docker").notes.join(" ")).toContain("daemon.json is not read here");
    expect(row(j, "podman").notes.join(" ")).toContain("registries.conf is not read here");
  });

  test("a sysroot without daemon.json or registries.conf: no mirrors, and the answer says the defaults apply", () => {
    const j = where("alpine", sysroot());
    expect(j.context!.files.filter((f) => f.state === "absent").map((f) => f.path)).toEqual(
      expect.arrayContaining(["/etc/docker/daemon.json", "/etc/containers/registries.conf"]),
    );
    expect(row(j, "docker").mirrors).toBeNull();
    expect(row(j, "docker").notes).toContain("daemon.json sets no registry-mirrors: pulls go to Docker Hub itself");
    expect(row(j, "podman").notes).toContain("no registries.conf here: no mirrors, nothing insecure");
  });

  test("--mirror: classic and podman read certs.d/<mirror>; Docker's containerd store uses docker.io; containerd its [host] tables", () => {
    const sys = sysroot("/etc/docker/certs.d/mirror.example:5000", "/etc/docker/certs.d/docker.io");
    const j = where("alpine", sys, "--mirror", "https://mirror.example:5000/", "--mirror", "other.example");
    expect(j.options.mirrors).toEqual(["mirror.example:5000", "other.example"]);
    expect(row(j, "docker").mirrors!.map((m) => [m.mirror, m.status, m.directory])).toEqual([
      ["mirror.example:5000", "reads", "/etc/docker/certs.d/mirror.example:5000"],
      ["other.example", "no-directory", null],
    ]);
    expect(row(j, "docker").notes.join(" ")).toContain("fails at once on a broken one");
    expect(row(j, "podman").mirrors![0]!.directory).toBe("/etc/docker/certs.d/mirror.example:5000");
    expect(row(j, "podman").notes.join(" ")).toContain("moves on to the next source");
    expect(row(j, "docker-containerd").mirrors).toBeNull();
    expect(row(j, "docker-containerd").notes.join(" ")).toContain("use the docker.io directory");
    expect(row(j, "containerd").mirrors).toBeNull();
    expect(row(j, "containerd").notes.join(" ")).toContain("[host] tables in hosts.toml");
  });

  test("classic registry-mirrors are Docker Hub's only", () => {
    const a = row(where("myreg:5000/app", sysroot(), "--mirror", "mirror.example"), "docker");
    expect(a.mirrors).toBeNull();
    expect(a.notes).toContain("registry-mirrors apply to Docker Hub only: --mirror changes nothing here");
  });
});

describe("§10 Insecure or localhost", () => {
  test.each(["localhost:5000/app", "localhost:5000", "127.0.0.1:5000/app", "127.1.2.3/app", "[::1]:5000/app"])(
    "%s: classic never reads certs.d (so no client certificate); the others read it",
    (ref) => {
      const host = ref.replace(/\/app$/, "");
      const j = where(ref, sysroot(`/etc/docker/certs.d/${host}`));
      expect(row(j, "docker")).toMatchObject({ status: "skipped", directory: null });
      expect(row(j, "docker").candidates).toEqual([
        { path: `/etc/docker/certs.d/${host}`, state: "exists", error: null },
      ]);
      expect(row(j, "docker-containerd").directory).toBe(`/etc/docker/certs.d/${host}`);
      expect(row(j, "docker-containerd").notes).toContain(
        "loopback: the files are loaded and TLS verification is skipped",
      );
      expect(row(j, "containerd").directory).toBe(`/etc/docker/certs.d/${host}`);
      expect(row(j, "podman").directory).toBe(`/etc/docker/certs.d/${host}`);
      expect(row(j, "podman").notes).toContain(
        "localhost is not insecure by default: the files are loaded and verified",
      );
    },
  );

  test("::1 is loopback-insecure for Docker from v28 only (moby#48540): 20.10 reads its directory", () => {
    const sys = sysroot("/etc/docker/certs.d/[::1]:5000");
    expect(row(where("[::1]:5000/app", sys, "--docker-version", "20.10"), "docker").directory).toBe(
      "/etc/docker/certs.d/[::1]:5000",
    );
    expect(row(where("[::1]:5000/app", sys, "--docker-version", "28"), "docker").status).toBe("skipped");
  });

  test("a configured insecure registry is not known without daemon.json: the note says what it would change", () => {
    const r = cli(["where", "myreg:5000/app", "--format", "json", "--root", "/nonexistent/certs.d"], { env: { HOME } });
    const j = JSON.parse(r.stdout) as WhereJson;
    expect(row(j, "docker").status).toBe("no-directory");
    expect(row(j, "docker").notes).toContain(
      "insecure-registries in daemon.json (not read here) would skip this directory too",
    );
  });

  test("Docker before v28: its BuildKit's loader is not modelled, and the answer says so", () => {
    expect(row(where("myreg:5000/app", sysroot(), "--docker-version", "27"), "docker-containerd")).toMatchObject({
      status: "not-modelled",
      directory: null,
    });
  });
});

describe("exit codes and output", () => {
  test("0 and the answer; 2 and one line on stderr for a reference the grammar refuses", () => {
    expect(cli(["where", "myreg:5000/app", "--sysroot", sysroot()]).code).toBe(0);
    expect(cli(["where", "myreg:5000/Team/app"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "certsd-lint: where myreg:5000/Team/app: invalid reference format: repository name (Team/app) must be lowercase\n",
    });
    expect(cli(["where", "a b"]).stderr).toBe("certsd-lint: where a b: invalid reference format\n");
    expect(cli(["where", "x/y", "--docker-version", "banana"]).stderr).toBe(
      "certsd-lint: --docker-version: not a Docker Engine version: banana\n",
    );
    expect(cli(["where", "x/y", "--sysroot", "/tmp", "--root", "rel"]).code).toBe(2);
    expect(cli(["where"]).code).toBe(2);
  });

  test("the text fits an 80-column terminal and names the directory read", () => {
    const sys = sysroot(
      "/etc/docker/certs.d/myreg.example.com:5000",
      `${HOME}/.config/containers/certs.d/a-rather-long-registry-name.internal.example.com:5000`,
    );
    for (const ref of [
      "myreg.example.com:5000/team/app:1.0",
      "localhost:5000",
      "alpine",
      "[::1]:5000",
      "node:20",
      "a-rather-long-registry-name.internal.example.com:5000/team/app",
    ]) {
      const r = cli(["where", ref, "--sysroot", sys, "--mirror", "mirror.example:5000"], { env: { HOME } });
      expect(r.code).toBe(0);
      for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    }
    const text = cli(["where", "myreg.example.com:5000/team/app:1.0", "--sysroot", sys], { env: { HOME } }).stdout;
    expect(text).toContain("Docker: reads /etc/docker/certs.d/myreg.example.com:5000\n");
    expect(text).toMatch(/ {2}1\. \/etc\/docker\/certs\.d\/myreg\.example\.com:5000 +exists\n/);
  });
});

test("the README's example is what the command prints on the tree it describes", () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const m = /<!-- snippet: where -->\n```console\n\$ certsd-lint (where [^\n]+)\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  // The host it describes: daemon.json lists myreg:5000 as insecure; a stray _default under /etc/containerd/certs.d.
  const sys = sysroot("/etc/docker/certs.d/myreg:5000", "/etc/containerd/certs.d/_default");
  writeFileSync(path.join(sys, "etc/docker/daemon.json"), '{ "insecure-registries": ["myreg:5000"] }\n');
  // --host reads this machine's configuration; the test reads the same files inside the sysroot instead.
  const args = m![1]!.split(" ").filter((a) => a !== "--host");
  expect(args.length).toBe(m![1]!.split(" ").length - 1);
  const r = cli([...args, "--sysroot", sys], { env: { HOME: "/home/me" } });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(m![2]);
});

/** The committed fixture sysroots (fixtures/sysroots.ts), read as `where --sysroot` reads a node image. */
const fixture = (name: string) => path.join(REPO, "fixtures", "sysroots", name);

describe("with the machine's configuration (--sysroot, --host; issue 13)", () => {
  test("daemon.json insecure-registries by name: classic reads no directory, the containerd store still loads it", () => {
    const j = where("myreg:5000/team/app:1.0", fixture("node-insecure"));
    expect(j.context!.files).toContainEqual({ path: "/etc/docker/daemon.json", state: "read", error: null });
    expect(j.context!.dockerInsecure).toEqual({ names: ["myreg:5000"], cidrs: ["10.0.0.0/8"] });
    expect(row(j, "docker")).toMatchObject({
      status: "skipped",
      directory: null,
      reason:
        "myreg:5000 is in daemon.json insecure-registries: dockerd skips certs.d for it, adds no CA and sends no client certificate",
    });
    expect(tried(row(j, "docker"))).toEqual(["/etc/docker/certs.d/myreg:5000 exists"]);
    expect(row(j, "docker-containerd").directory).toBe("/etc/docker/certs.d/myreg:5000");
    expect(row(j, "docker-containerd").notes).toContain(
      "dockerd counts it as insecure here: verification is skipped and HTTP allowed, but the files still load",
    );
    expect(row(j, "podman").directory).toBe("/etc/docker/certs.d/myreg:5000");
  });

  test("daemon.json insecure-registries by CIDR: an IP literal inside it", () => {
    const a = row(where("10.1.2.3:5000/app", fixture("node-insecure")), "docker");
    expect(a.status).toBe("skipped");
    expect(a.reason).toContain("10.1.2.3 is in 10.0.0.0/8, listed in daemon.json insecure-registries");
  });

  test("a name the sysroot's /etc/hosts maps to loopback, or into an insecure CIDR, is skipped as dockerd resolves it", () => {
    const loop = where("devreg.local:5000/app", fixture("where-config"));
    expect(loop.context!.resolved["devreg.local"]).toEqual({
      addresses: ["127.0.0.1"],
      via: "the sysroot's /etc/hosts",
      error: null,
    });
    expect(row(loop, "docker").status).toBe("skipped");
    expect(row(loop, "docker").reason).toBe(
      "devreg.local resolves to 127.0.0.1 (the sysroot's /etc/hosts), in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate",
    );
    expect(row(loop, "docker-containerd").directory).toBe("/etc/docker/certs.d/devreg.local:5000");
    const cidr = row(where("build.internal:5000/app", fixture("where-config")), "docker");
    expect(cidr.status).toBe("skipped");
    expect(cidr.reason).toContain("build.internal resolves to 10.1.2.3 (the sysroot's /etc/hosts), in 10.0.0.0/8");
    // A name not in the sysroot's /etc/hosts: its DNS answer there is unknown, and the note says what it would change.
    const other = row(where("myreg:5000/app", fixture("where-config")), "docker");
    expect(other.status).toBe("reads");
    expect(other.notes).toContain(
      "myreg is not in the sysroot's /etc/hosts, and that machine's DNS is not asked: if it resolves into 127.0.0.0/8 or ::1/128 or 10.0.0.0/8, dockerd skips this directory",
    );
  });

  test("registry-mirrors: classic reads certs.d/<mirror> first for Docker Hub, the containerd store docker.io's", () => {
    const j = where("alpine", fixture("where-config"));
    expect(j.context!.dockerMirrors).toEqual(["mirror.internal:5000"]);
    expect(row(j, "docker").status).toBe("skipped");
    expect(row(j, "docker").mirrors!.map((m) => [m.mirror, m.status, m.directory])).toEqual([
      ["mirror.internal:5000", "reads", "/etc/docker/certs.d/mirror.internal:5000"],
    ]);
    expect(row(j, "docker-containerd").mirrors).toBeNull();
    expect(row(j, "docker-containerd").notes).toContain(
      "mirrors mirror.internal:5000 use the docker.io directory (or _default), not certs.d/<mirror>",
    );
    // Not Docker Hub: daemon.json's mirrors do not apply.
    expect(row(where("myreg:5000/app", fixture("where-config")), "docker").mirrors).toBeNull();
  });

  test("Docker's image store on this machine is named in both Docker rows", () => {
    const j = where("myreg:5000/team/app:1.0", fixture("docker-classic"));
    expect(j.context!.dockerStore).toEqual({
      store: "classic",
      reason: "daemon.json features.containerd-snapshotter is false",
    });
    expect(row(j, "docker").notes).toContain(
      "docker pull and push take this path here: daemon.json features.containerd-snapshotter is false",
    );
  });

  test("containerd: a config_path list read by transfer-service pulls is one directory, and nothing is read", () => {
    const j = where("myreg:5000/team/app:1.0", fixture("where-config"));
    expect(j.context!.containerdConfigPath).toEqual({
      value: "/etc/containerd/certs.d:/etc/docker/certs.d",
      source: '/etc/containerd/config.toml [plugins."io.containerd.grpc.v1.cri".registry]',
      transfer: true,
    });
    const a = row(j, "containerd");
    expect(a.status).toBe("skipped");
    expect(a.reason).toContain("(containerd#12808)");
    expect(a.candidates.map((c) => c.path)).toEqual([
      "/etc/containerd/certs.d:/etc/docker/certs.d/myreg_5000_",
      "/etc/containerd/certs.d:/etc/docker/certs.d/myreg:5000",
      "/etc/containerd/certs.d:/etc/docker/certs.d/_default",
    ]);
    expect(a.notes).toContain(
      "with use_local_image_pull = true CRI would split the list and read /etc/docker/certs.d/myreg:5000",
    );
    // containerd 2.0 pulls locally: the list is split, the first root with a directory wins.
    const old = row(where("myreg:5000/app", fixture("where-config"), "--containerd-version", "2.0"), "containerd");
    expect(old).toMatchObject({ status: "reads", directory: "/etc/docker/certs.d/myreg:5000" });
  });

  test.each([
    ["containerd-1.7", "1.7"],
    ["containerd-2.0", "2.0"],
  ])("containerd: %s's config_path (its config version's layout) is the root CRI searches", (name, version) => {
    const j = where("myreg:5000/app", fixture(name), "--containerd-version", version);
    expect(row(j, "containerd")).toMatchObject({ status: "reads", directory: "/etc/containerd/certs.d/myreg:5000" });
    expect(j.context!.containerdConfigPath.value).toBe("/etc/containerd/certs.d");
  });

  test("containerd: v2.2's default list when config.toml sets none; before v2.2 CRI reads no certs.d", () => {
    const dflt = where("myreg:5000/app", fixture("containerd-2.2"));
    expect(dflt.context!.containerdConfigPath.source).toBe("containerd 2.2's default");
    expect(row(dflt, "containerd").status).toBe("skipped");
    const sys = sysroot("/etc/containerd/certs.d/myreg:5000");
    writeFileSync(path.join(sys, "etc/containerd/config.toml"), "version = 2\n");
    const a = row(where("myreg:5000/app", sys, "--containerd-version", "1.7"), "containerd");
    expect(a).toMatchObject({ status: "skipped", directory: null, candidates: [] });
    expect(a.reason).toBe("containerd 1.7: no config_path: CRI reads no certs.d directory");
    expect(a.notes[0]).toBe(
      "nerdctl reads /etc/containerd/certs.d/myreg:5000 (its own list: /etc/containerd/certs.d, then /etc/docker/certs.d)",
    );
  });

  test("registries.conf: a [[registry.mirror]] is read from its own directory; insecure only skips verification", () => {
    const j = where("myreg:5000/team/app:1.0", fixture("where-config"));
    const a = row(j, "podman");
    expect(a.directory).toBe("/etc/docker/certs.d/myreg:5000");
    expect(a.mirrors!.map((m) => [m.mirror, m.status, m.directory])).toEqual([
      ["mirror.internal:5000", "reads", "/etc/containers/certs.d/mirror.internal:5000"],
    ]);
    expect(a.notes).toContain(
      "/etc/containers/registries.conf marks it insecure: verification is skipped, the files still load",
    );
    expect(j.context!.registries.map((r) => r.prefix)).toEqual([
      "blocked.example.com",
      "docker.io",
      "myreg:5000",
      "old.example.com",
    ]);
  });

  test("registries.conf: a prefix rewritten to another location reads that location's directory", () => {
    const a = row(where("old.example.com/team/app:1.0", fixture("where-config")), "podman");
    expect(a.directory).toBe("/etc/docker/certs.d/myreg:5000");
    expect(a.notes).toContain(
      "/etc/containers/registries.conf sends old.example.com to myreg:5000/old: the directory is myreg:5000's",
    );
  });

  test("registries.conf: a blocked registry fails with containers/image's words", () => {
    const a = row(where("blocked.example.com/x", fixture("where-config")), "podman");
    expect(a).toMatchObject({
      status: "error",
      directory: null,
      reason:
        "registry blocked.example.com is blocked in /etc/containers/registries.conf or /home/u/.config/containers/registries.conf.d",
    });
  });

  test("registries.conf.d: a drop-in's mirror-by-digest-only mirror serves digests only", () => {
    const tag = row(where("alpine:3.19", fixture("where-config")), "podman");
    expect(tag.mirrors).toBeNull();
    expect(tag.notes).toContain("1 mirror not used for this reference (mirror-by-digest-only or pull-from-mirror)");
    const digest = row(where(`alpine@sha256:${"a".repeat(64)}`, fixture("where-config")), "podman");
    expect(digest.mirrors!.map((m) => [m.mirror, m.status])).toEqual([["hubcache.internal", "no-directory"]]);
  });

  test("the text names the files read and fits 80 columns", () => {
    for (const ref of ["alpine", "myreg:5000/team/app:1.0", "devreg.local:5000/app", "blocked.example.com/x"]) {
      const r = cli(["where", ref, "--sysroot", fixture("where-config")], { env: { HOME } });
      expect(r.code).toBe(0);
      for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
      expect(r.stdout).toContain("configuration read: /etc/docker/daemon.json, /etc/containerd/config.toml,");
    }
  });

  test("--host: this machine's configuration, and localhost from its /etc/hosts", () => {
    const r = cli(["where", "localhost:5000/app", "--host", "--format", "json", "--runtime", "docker"], {
      env: { HOME },
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as WhereJson;
    expect(validate(j) ? [] : validate.errors).toEqual([]);
    expect(j.context!.source).toBe("host");
    expect(j.context!.resolved.localhost!.via).toBe("/etc/hosts");
    expect(row(j, "docker").status).toBe("skipped");
  });
});

test("a daemon.json dockerd refuses: the Docker rows say it does not start, with dockerd's words", () => {
  const sys = sysroot("/etc/docker/certs.d/myreg:5000");
  writeFileSync(path.join(sys, "etc/docker/daemon.json"), '{ "insecure-registries": ["myreg:5000", }\n');
  const j = where("myreg:5000/app", sys);
  const f = j.context!.files.find((x) => x.path === "/etc/docker/daemon.json")!;
  expect(f.state).toBe("invalid");
  expect(f.error).toMatch(
    /^unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json: invalid JSON: invalid character /,
  );
  expect(row(j, "docker").notes[0]).toBe(`dockerd does not start with /etc/docker/daemon.json: ${f.error}`);
  expect(row(j, "docker").status).toBe("reads");
});

test("registries.conf: the per-user file replaces the system one; a v1 file's insecure list is read as v2 tables", () => {
  const sys = sysroot("/etc/containers", `${HOME}/.config/containers`);
  writeFileSync(
    path.join(sys, "etc/containers/registries.conf"),
    '[[registry]]\nlocation = "myreg:5000"\n\n[[registry.mirror]]\nlocation = "sys-mirror:5000"\n',
  );
  writeFileSync(
    path.join(sys, `${HOME}/.config/containers/registries.conf`),
    '[registries.insecure]\nregistries = ["myreg:5000"]\n',
  );
  const j = where("myreg:5000/app", sys);
  const paths = j.context!.files.map((f) => `${f.path} ${f.state}`);
  expect(paths).toContain(`${HOME}/.config/containers/registries.conf read`);
  expect(paths.some((p) => p.startsWith("/etc/containers/registries.conf "))).toBe(false);
  expect(j.context!.registries).toEqual([
    {
      file: `${HOME}/.config/containers/registries.conf`,
      prefix: "myreg:5000",
      location: "myreg:5000",
      insecure: true,
      blocked: false,
      mirrorByDigestOnly: false,
      mirrors: [],
    },
  ]);
  expect(row(j, "podman").mirrors).toBeNull();
});

test("containerd with the CRI plugin disabled (docker-ce's containerd.io config.toml): CRI reads nothing, nerdctl its own list", () => {
  const sys = sysroot("/etc/docker/certs.d/myreg:5000");
  mkdirSync(path.join(sys, "etc/containerd"));
  writeFileSync(path.join(sys, "etc/containerd/config.toml"), 'disabled_plugins = ["cri"]\n');
  const a = row(where("myreg:5000/app", sys), "containerd");
  expect(a).toMatchObject({
    status: "skipped",
    reason: "/etc/containerd/config.toml disables the CRI plugin: nothing pulls through CRI here",
  });
  expect(a.notes[0]).toBe(
    "nerdctl reads /etc/docker/certs.d/myreg:5000 (its own list: /etc/containerd/certs.d, then /etc/docker/certs.d)",
  );
});
