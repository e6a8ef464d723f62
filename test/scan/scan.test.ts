import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { scanHostDir, scanPaths, ScanError } from "../../src/scan/scan.js";
import { CASES, EXAMPLES } from "../helpers/fixtures.js";

let tmp: string;
let server: net.Server | undefined;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-scan-"));
});
afterAll(() => {
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function hostDir(name: string): string {
  const d = path.join(tmp, "certs.d", name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe("entry kinds", () => {
  let dir: string;
  beforeAll(async () => {
    dir = hostDir("kinds.example.com");
    writeFileSync(path.join(dir, "ca.crt"), "x");
    mkdirSync(path.join(dir, "sub.crt"));
    symlinkSync("/nonexistent/ca.crt", path.join(dir, "dangling.crt"));
    symlinkSync("loop.crt", path.join(dir, "loop.crt"));
    symlinkSync("/dev/null", path.join(dir, "null.crt"));
    execFileSync("mkfifo", [path.join(dir, "pipe.crt")]);
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(path.join(dir, "sock.crt"), resolve));
    // A 2 GB sparse file: the scan must not read it.
    const fd = openSync(path.join(dir, "huge.crt"), "w");
    closeSync(fd);
    execFileSync("truncate", ["-s", "2G", path.join(dir, "huge.crt")]);
  });

  test("each entry keeps its kind, and nothing but regular files is opened", () => {
    const started = Date.now();
    const host = scanHostDir(dir);
    expect(Date.now() - started).toBeLessThan(5000); // opening the FIFO would block forever
    const kinds = Object.fromEntries(host.entries.map((e) => [e.name, [e.kind, e.symlink, e.content.status]]));
    expect(kinds).toEqual({
      "ca.crt": ["file", false, "read"],
      "dangling.crt": ["dangling-symlink", true, "error"],
      "huge.crt": ["file", false, "too-large"],
      "loop.crt": ["symlink-loop", true, "error"],
      "null.crt": ["char-device", true, "not-read"],
      "pipe.crt": ["fifo", false, "not-read"],
      "sock.crt": ["socket", false, "not-read"],
      "sub.crt": ["directory", false, "not-read"],
    });
  });

  test("read errors carry Go's own wording", () => {
    const host = scanHostDir(dir);
    const err = (n: string) => {
      const c = host.entries.find((e) => e.name === n)!.content;
      return c.status === "error" ? c.error.goError : null;
    };
    expect(err("dangling.crt")).toBe(`open ${dir}/dangling.crt: no such file or directory`);
    expect(err("loop.crt")).toBe(`open ${dir}/loop.crt: too many levels of symbolic links`);
  });

  test("reads at most the bound", () => {
    const d = hostDir("bound.example.com");
    writeFileSync(path.join(d, "ca.crt"), Buffer.alloc(2000, 0x41));
    const host = scanHostDir(d, { maxFileBytes: 1000 });
    expect(host.entries[0]!.content).toEqual({ status: "too-large", size: 2000 });
  });
});

describe("order and names", () => {
  test("entries come in Go's byte-wise order", () => {
    const d = hostDir("order.example.com");
    for (const n of ["a.cert", "B.key", "_x.crt", "é.crt", ".crt", "Z.crt"]) writeFileSync(path.join(d, n), "");
    expect(scanHostDir(d).entries.map((e) => e.name)).toEqual([".crt", "B.key", "Z.crt", "_x.crt", "a.cert", "é.crt"]);
  });

  test("a name that is not valid UTF-8 is kept as bytes and still read", () => {
    const d = hostDir("bytes.example.com");
    const raw = Buffer.concat([Buffer.from(`${d}/`), Buffer.from([0xff, 0xfe]), Buffer.from(".crt")]);
    writeFileSync(raw, "data");
    const [e] = scanHostDir(d).entries;
    expect(e!.nameBytes).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(".crt")]));
    expect(e!.name).toBe("\ufffd\ufffd.crt");
    expect(e!.content.status).toBe("read");
  });

  test("a host directory that is a file reports Go's ReadDir error", () => {
    const root = path.join(tmp, "fileroot");
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, "reg.example.com"), "");
    expect(scanHostDir(path.join(root, "reg.example.com")).listError?.goError).toBe(
      `readdirent ${root}/reg.example.com: not a directory`,
    );
  });
});

describe("what a path is", () => {
  test("a certs root: every subdirectory is a host directory; loose files are kept aside", () => {
    const r = scanPaths([EXAMPLES]);
    // Byte-wise name order, as Go lists them.
    expect(r.hosts.map((h) => h.name)).toEqual([
      "ci.example.com",
      "gitlab.example.com:5050",
      "harbor.example.com",
      "localhost:5000",
      "mirror.example.com:5000",
      "nexus.example.com:8443",
      "pinned.example.com:5000",
      "quay.example.com",
      "registry.example.com:443",
      "registry.example.com:5000",
      "registry.internal:5000",
    ]);
    expect(r.roots).toEqual([{ path: EXAMPLES, looseFiles: [] }]);
  });

  test("a directory with subdirectories but no certificate files is a root", () => {
    expect(scanPaths([path.join(CASES, "multi-host")]).hosts.map((h) => h.name)).toEqual([
      "harbor.example.com",
      "registry.example.com:5000",
    ]);
  });

  test("a host directory", () => {
    const r = scanPaths([path.join(EXAMPLES, "harbor.example.com")]);
    expect(r.hosts.map((h) => [h.root, h.name])).toEqual([[EXAMPLES, "harbor.example.com"]]);
    expect(r.roots).toEqual([]);
  });

  test("files are mapped to their host directory, which is scanned whole and once", () => {
    const h = path.join(EXAMPLES, "registry.example.com:5000");
    const r = scanPaths([path.join(h, "client.key"), path.join(h, "ca.crt")]);
    expect(r.hosts.map((x) => x.name)).toEqual(["registry.example.com:5000"]);
    expect(r.hosts[0]!.entries.map((e) => e.name)).toEqual(["ca.crt", "client.cert", "client.key"]);
  });

  test.each([
    ["/nonexistent/certs.d", "/nonexistent/certs.d: no such file or directory"],
    [
      "package.json",
      "package.json: not certificate material (expected a certs.d root, a host directory, or a .crt/.cert/.key file)",
    ],
  ])("%s is refused with one line", (p, message) => {
    expect(() => scanPaths([p])).toThrow(new ScanError(message));
  });
});
