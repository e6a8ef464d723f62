/**
 * The rules for problems nothing reported before (issue 12): their fix commands, run as printed in a copy of the
 * host directory, leave the repaired tree in place and the finding gone. fix-commands.test.ts runs only the
 * openssl/iconv/sed repairs; these are file moves.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { caseRoot, CASES, cleanupFixtures } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const H = "registry.example.com:5000";
const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-unreported-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

/** A copy of a case's certs root, outside the repository. */
function copyCase(id: string): string {
  const root = path.join(tmp, id);
  cpSync(caseRoot(id), root, { recursive: true, verbatimSymlinks: true });
  return root;
}

function run(command: string, cwd: string): string {
  return execFileSync("sh", ["-c", command], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("CD511 hosts-toml-is-directory", () => {
  test.each([
    ["hosts-toml-directory", "file"],
    ["hosts-toml-empty-directory", "absent"],
  ])("%s: the command printed repairs it", (id, after) => {
    const root = copyCase(id);
    const [finding] = lintPaths([root]).findings.filter((f) => f.ruleId === "CD511");
    expect(finding?.fix?.command).toBeDefined();
    expect(run(finding!.fix!.command!, path.join(root, H))).toBe("");
    const toml = path.join(root, H, "hosts.toml");
    if (after === "file") expect(statSync(toml).isFile()).toBe(true);
    else expect(() => statSync(toml)).toThrow();
    const left = lintPaths([root]).findings.filter((f) => f.ruleId === "CD511" || f.ruleId === "CD001");
    expect(left).toEqual([]);
    // containerd then loads the directory: the good client pair and CA (with the moved hosts.toml naming the server).
    expect(lintPaths([root]).hosts[0]!.runtimes.containerd?.status).toBe("ok");
  });
});

describe("CD121 private-key-readable", () => {
  /** A good host directory made as a user makes it (cp), outside any git work tree, with the key at `mode`. */
  function keyTree(name: string, mode: number, gid?: number): { root: string; dir: string } {
    const root = path.join(tmp, name, "certs.d");
    const dir = path.join(root, H);
    mkdirSync(dir, { recursive: true });
    for (const f of ["ca.crt", "client.cert", "client.key"])
      copyFileSync(path.join(CASES, "good", H, f), path.join(dir, f));
    chmodSync(path.join(dir, "client.key"), mode);
    if (gid !== undefined) chownSync(path.join(dir, "client.key"), process.getuid!(), gid);
    return { root, dir };
  }
  const cd121 = (root: string) => lintPaths([root]).findings.filter((f) => f.ruleId === "CD121");

  test("the temporary directory is outside any git work tree (else these tests prove nothing)", () => {
    expect(() => execFileSync("git", ["-C", tmp, "rev-parse", "--show-toplevel"], { stdio: "pipe" })).toThrow();
  });

  test("0644 outside git: every local user can read it; chmod 600 as printed repairs it", () => {
    const { root, dir } = keyTree("world", 0o644);
    const [f, ...rest] = cd121(root);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ file: "client.key", severity: "warning" });
    expect(f!.headline).toBe("client.key holds a private key that every local user can read (mode 644)");
    expect(f!.fix).toEqual({ text: "Make it readable by its owner only:", command: "chmod 600 client.key" });
    expect(run(f!.fix!.command!, dir)).toBe("");
    expect(statSync(path.join(dir, "client.key")).mode & 0o777).toBe(0o600);
    expect(cd121(root)).toEqual([]);
  });

  const rootOnly = process.getuid?.() === 0 ? test : test.skip;
  rootOnly("0640 with group daemon (gid 1, named in /etc/group): the group is named", () => {
    const { root } = keyTree("group", 0o640, 1);
    const [f] = cd121(root);
    expect(f!.headline).toBe("client.key holds a private key that the daemon group can read (mode 640)");
  });
  rootOnly("0640 with a gid /etc/group does not name: the number is given", () => {
    const { root } = keyTree("gid", 0o640, 54321);
    expect(cd121(root)[0]!.headline).toBe("client.key holds a private key that group 54321 can read (mode 640)");
  });

  test("a .cert holding its key (containerd's combined form) at 0644: the .cert is reported", () => {
    const { root, dir } = keyTree("combined", 0o600);
    const combined = Buffer.concat([
      readFileSync(path.join(dir, "client.cert")),
      readFileSync(path.join(dir, "client.key")),
    ]);
    rmSync(path.join(dir, "client.key"));
    writeFileSync(path.join(dir, "client.cert"), combined, { mode: 0o644 });
    chmodSync(path.join(dir, "client.cert"), 0o644);
    expect(cd121(root).map((f) => [f.file, f.headline])).toEqual([
      ["client.cert", "client.cert holds a private key that every local user can read (mode 644)"],
    ]);
  });

  test("0600: nothing to say", () => {
    expect(cd121(keyTree("private", 0o600).root)).toEqual([]);
  });

  test("the same 0644 key inside a git work tree (git init above the certs root): no finding", () => {
    const { root } = keyTree("repo", 0o644);
    execFileSync("git", ["init", "-q", path.join(tmp, "repo")]);
    expect(cd121(root)).toEqual([]);
  });
});

describe("CD120 file-in-certs-root", () => {
  /** `cp ca.crt /etc/docker/certs.d/` beside host directories holding `hosts`' client pairs. */
  function rootTree(name: string, hosts: string[], caAlsoIn?: string): string {
    const root = path.join(tmp, name, "certs.d");
    for (const h of hosts) {
      mkdirSync(path.join(root, h), { recursive: true });
      for (const f of ["client.cert", "client.key"])
        copyFileSync(path.join(CASES, "good", H, f), path.join(root, h, f));
    }
    copyFileSync(path.join(CASES, "good", H, "ca.crt"), path.join(root, "ca.crt"));
    if (caAlsoIn) copyFileSync(path.join(CASES, "good", H, "ca.crt"), path.join(root, caAlsoIn, "ca.crt"));
    return root;
  }
  const cd120 = (root: string) => lintPaths([root]).findings.filter((f) => f.ruleId === "CD120");

  test('one host directory: host "", file ca.crt, and the mv printed (run in the root) puts it to use', () => {
    const root = rootTree("one", [H]);
    const [f, ...rest] = cd120(root);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ root, host: "", file: "ca.crt", severity: "warning" });
    expect(f!.why).toContain(`probably meant for ${H}/`);
    expect(f!.fix!.command).toBe(`mv ca.crt ${H}/ca.crt`);
    expect(lintPaths([root]).hosts[0]!.runtimes.docker?.caFiles).toEqual([]);
    expect(run(f!.fix!.command!, root)).toBe("");
    expect(cd120(root)).toEqual([]);
    const after = lintPaths([root]).hosts[0]!.runtimes;
    for (const r of ["docker", "docker-containerd", "containerd", "podman"] as const)
      expect([r, after[r]?.caFiles]).toEqual([r, ["ca.crt"]]);
  });

  test("two host directories: every host directory here, and no command (only the servers can tell)", () => {
    const [f] = cd120(rootTree("two", [H, "mirror.example.com"]));
    expect(f!.why).toContain(`every host directory here (mirror.example.com/, ${H}/)`);
    expect(f!.fix!.command).toBeUndefined();
  });

  test("the host directory already has a ca.crt: no mv that would overwrite it", () => {
    const [f] = cd120(rootTree("clash", [H], H));
    expect(f!.fix!.command).toBeUndefined();
    expect(f!.fix!.text).toContain(`${H}/ca.crt, which exists`);
  });
});
