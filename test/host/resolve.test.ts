/**
 * dockerd resolves a registry's name before its insecure-registry gate (moby isSecureIndex): etc/hosts as Go reads
 * it, the system resolver on this machine (loopback names only), and the gate on what a name resolves to.
 */
import { parseEtcHosts, resolveNames } from "../../src/host/resolve.js";
import { dockerEngine } from "../../src/runtimes/docker-engine.js";
import { dockerSkip } from "../../src/runtimes/docker.js";
import { ipInCidr, parseIP } from "../../src/runtimes/ip.js";

test("etc/hosts as Go's readHosts: comments, several names a line, case, zones, later lines add", () => {
  const hosts = parseEtcHosts(
    "# comment\n127.0.0.1 localhost\n\n10.0.0.5\tReg.Example  reg # VM\nfe80::1%eth0 link6\nnot-an-ip name\n10.0.0.6 reg\n",
  );
  expect(Object.fromEntries(hosts)).toEqual({
    localhost: ["127.0.0.1"],
    "reg.example": ["10.0.0.5"],
    reg: ["10.0.0.5", "10.0.0.6"],
    link6: ["fe80::1"],
  });
});

test("this machine's resolver answers localhost with a loopback address, and an unknown name with nothing", async () => {
  const r = await resolveNames(["localhost", "no-such-host.invalid"], null);
  expect(Object.keys(r)).toEqual(["localhost"]);
  expect(r.localhost!.some((a) => a === "127.0.0.1" || a === "::1")).toBe(true);
});

test("IP CIDR matching as net.IPNet.Contains: families never cross, IPv4-mapped addresses count as IPv4", () => {
  expect(ipInCidr("10.1.2.3", "10.0.0.0/8")).toBe(true);
  expect(ipInCidr("11.1.2.3", "10.0.0.0/8")).toBe(false);
  expect(ipInCidr("::ffff:127.0.0.2", "127.0.0.0/8")).toBe(true);
  expect(ipInCidr("fd00::5", "fd00::/8")).toBe(true);
  expect(ipInCidr("10.1.2.3", "fd00::/8")).toBe(false);
  expect(ipInCidr("10.1.2.3", "not-a-cidr")).toBe(false);
  expect(ipInCidr("10.1.2.3", "10.1.2.3/33")).toBe(false);
  expect(ipInCidr("::1", "::1/128")).toBe(true);
  expect(ipInCidr("0:0:0:0:0:0:0:1", "::1/128")).toBe(true);
  expect(ipInCidr("127.0.0.1", "::ffff:0:0/96")).toBe(false);
});

test("IP literals as net.ParseIP: no leading zeros in IPv4 (Go 1.17+), :: once, an IPv4 tail", () => {
  const hex = (s: string) => Buffer.from(parseIP(s) ?? []).toString("hex");
  expect(hex("10.0.0.1")).toBe("00000000000000000000ffff0a000001");
  expect(hex("::1")).toBe("00000000000000000000000000000001");
  expect(hex("fe80::1:2")).toBe("fe800000000000000000000000010002");
  expect(hex("::ffff:10.0.0.1")).toBe("00000000000000000000ffff0a000001");
  for (const bad of ["010.0.0.1", "1.2.3", "256.0.0.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "myreg", ""])
    expect([bad, parseIP(bad)]).toEqual([bad, null]);
});

describe("the gate on resolved names", () => {
  const v29 = dockerEngine("29");
  const v20 = dockerEngine("20.10");
  const insecure = { names: ["exact:5000"], cidrs: ["192.168.0.0/16", "fd00::/8"] };
  const at = (engine: typeof v29, addresses: Record<string, string[]>) => ({
    ...engine,
    insecureRegistries: insecure,
    addresses,
  });

  test.each([
    ["reg:5000", { reg: ["127.0.1.1"] }, "loopback", "127.0.0.0/8", "127.0.1.1"],
    ["reg:5000", { reg: ["192.168.4.4"] }, "insecure-cidr", "192.168.0.0/16", "192.168.4.4"],
    ["reg:5000", { reg: ["fd00::7"] }, "insecure-cidr", "fd00::/8", "fd00::7"],
    ["reg:5000", { reg: ["::1"] }, "loopback", "::1/128", "::1"],
    ["192.168.1.1:5000", {}, "insecure-cidr", "192.168.0.0/16", null],
    ["[::1]:5000", {}, "loopback", "::1/128", null],
    ["exact:5000", { exact: ["127.0.0.1"] }, "insecure-name", "exact:5000", null],
    ["localhost:5000", {}, "loopback", "127.0.0.0/8", null],
  ])("%s with %j → %s (%s)", (name, addresses, kind, entry, address) => {
    expect(dockerSkip(name, at(v29, addresses))).toMatchObject({ kind, entry, address });
  });

  test("a name that resolves nowhere insecure, or not at all, is secure", () => {
    expect(dockerSkip("reg:5000", at(v29, { reg: ["10.9.9.9"] }))).toBeNull();
    expect(dockerSkip("reg:5000", at(v29, {}))).toBeNull();
  });

  test("::1 is always insecure only from v28 (moby/moby#48540): v20.10 reads a name that resolves to it", () => {
    expect(dockerSkip("reg:5000", at(v20, { reg: ["::1"] }))).toBeNull();
    expect(dockerSkip("reg:5000", at(v20, { reg: ["::1", "127.0.0.1"] }))).toMatchObject({ kind: "loopback" });
  });
});
