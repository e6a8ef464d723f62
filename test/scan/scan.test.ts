import { execFileSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { splitRdev } from "../../src/scan/devices.js";
import { DEFAULT_MAX_FILE_BYTES, scanHostDir, scanPaths, ScanError } from "../../src/scan/scan.js";
import { CASES, caseHost, cleanupFixtures, EXAMPLES } from "../helpers/fixtures.js";

let tmp: string;
let server: net.Server | undefined;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-scan-"));
});
afterAll(() => {
  cleanupFixtures();
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
      "null.crt": ["char-device", true, "read"],
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
    expect(host.entries[0]!.content).toEqual({ status: "too-large", size: 2000, limit: 1000 });
  });
});

describe("whole files, up to 64 MiB", () => {
  const MiB = 1024 * 1024;

  test("the default bound is 64 MiB", () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBe(64 * MiB);
  });

  test("a 1.1 MB bundle is read whole, up to the certificate at its very end", () => {
    const host = scanHostDir(caseHost("ca-large-bundle"));
    const ca = host.entries.find((e) => e.name === "ca.crt")!;
    expect(ca.content.status).toBe("read");
    const data = ca.content.status === "read" ? ca.content.data : Buffer.alloc(0);
    expect(data.length).toBe(ca.size);
    expect(data.length).toBeGreaterThan(1.1e6);
    const root = readFileSync(path.join(CASES, "good", "registry.example.com:5000", "ca.crt"));
    expect(data.subarray(data.length - root.length).equals(root)).toBe(true);
  });

  test("exactly the bound is read; one byte more is not", () => {
    const d = hostDir("edge.example.com");
    writeFileSync(path.join(d, "a.crt"), Buffer.alloc(1000, 0x41));
    writeFileSync(path.join(d, "b.crt"), Buffer.alloc(1001, 0x41));
    const [a, b] = scanHostDir(d, { maxFileBytes: 1000 }).entries;
    expect([a!.content.status, a!.content.status === "read" && a!.content.data.length]).toEqual(["read", 1000]);
    expect(b!.content).toEqual({ status: "too-large", size: 1001, limit: 1000 });
  });

  test("beyond 64 MiB a file is judged by its size and never opened (sparse, 64 MiB + 1)", () => {
    const d = hostDir("big.example.com");
    execFileSync("truncate", ["-s", String(64 * MiB + 1), path.join(d, "ca.crt")]);
    expect(scanHostDir(d).entries[0]!.content).toEqual({ status: "too-large", size: 64 * MiB + 1, limit: 64 * MiB });
  });

  test("memory follows the file's size, not the bound", () => {
    const d = hostDir("small.example.com");
    writeFileSync(path.join(d, "ca.crt"), "0123456789");
    const c = scanHostDir(d).entries[0]!.content;
    expect(c.status).toBe("read");
    if (c.status === "read") expect(c.data.buffer.byteLength).toBeLessThan(64);
  });

  test("a file whose stat size is 0 but which holds bytes (procfs) is read to its end, as os.ReadFile does", () => {
    const d = hostDir("proc.example.com");
    symlinkSync("/proc/self/mountinfo", path.join(d, "ca.crt"));
    const [whole] = scanHostDir(d).entries;
    expect(whole!.size).toBe(0);
    expect(whole!.content.status === "read" && whole!.content.data.length).toBeGreaterThan(0);
    // Past the bound while growing beyond what stat said: stopped at the bound.
    const [bounded] = scanHostDir(d, { maxFileBytes: 10 }).entries;
    expect(bounded!.content).toMatchObject({ status: "too-large", limit: 10 });
  });
});

describe("devices: told apart by their numbers, never opened", () => {
  let dir: string;
  beforeAll(() => {
    dir = hostDir("devices.example.com");
    for (const dev of ["null", "zero", "full", "random", "urandom", "kmsg", "loop0"]) {
      if (existsSync(`/dev/${dev}`)) symlinkSync(`/dev/${dev}`, path.join(dir, `${dev}.crt`));
    }
  });

  test("each device's numbers are kept; only /dev/null has content, known to be empty", () => {
    const host = scanHostDir(dir);
    const got = Object.fromEntries(
      host.entries.map((e) => [
        e.name,
        [e.kind, e.device, e.content.status === "read" ? e.content.data.length : e.content.status],
      ]),
    );
    const want: Record<string, unknown> = {
      "null.crt": ["char-device", { major: 1, minor: 3 }, 0],
      "zero.crt": ["char-device", { major: 1, minor: 5 }, "not-read"],
      "full.crt": ["char-device", { major: 1, minor: 7 }, "not-read"],
      "random.crt": ["char-device", { major: 1, minor: 8 }, "not-read"],
      "urandom.crt": ["char-device", { major: 1, minor: 9 }, "not-read"],
      "kmsg.crt": ["char-device", { major: 1, minor: 11 }, "not-read"],
      "loop0.crt": ["block-device", { major: 7, minor: 0 }, "not-read"],
    };
    expect(got).toEqual(Object.fromEntries(Object.entries(want).filter(([n]) => n in got)));
  });

  test("glibc's major()/minor() split of st_rdev", () => {
    expect(splitRdev(0x103)).toEqual({ major: 1, minor: 3 });
    expect(splitRdev(0x0700)).toEqual({ major: 7, minor: 0 });
    // glibc's makedev, for numbers beyond the 8-bit minor and 12-bit major of old.
    const makedev = (major: bigint, minor: bigint) =>
      ((major & 0xfffn) << 8n) | ((major & 0xfffff000n) << 32n) | (minor & 0xffn) | ((minor & 0xffffff00n) << 12n);
    expect(splitRdev(makedev(0x123abcn, 0x4567n))).toEqual({ major: 0x123abc, minor: 0x4567 });
    expect(splitRdev(makedev(259n, 1n))).toEqual({ major: 259, minor: 1 });
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
