import { referenceNameProblem } from "../../src/facts/host-name.js";
import { goRfc3339, parseIp, registryHost } from "../../src/material/go-verify.js";
import { looksLikeBackup } from "../../rules/CD113-backup-still-loaded.js";

describe("registry names as image references spell them", () => {
  test.each([
    ["registry.example.com:5000", null],
    ["registry.example.com", null],
    ["localhost:5000", null],
    ["[fe80::1]:5000", null],
    ["10.0.0.5:5000", null],
    ["Registry.Example.com", "uppercase"],
    ["registry.example.com.", "trailing-dot"],
    ["registry.example.com :5000", "whitespace"],
    ["registry:abc", "bad-port"],
    ["fe80::1:5000", "bare-ipv6"],
    ["my_registry:5000", "bad-character"],
    ["-registry.example.com", "bad-character"],
    ["registry..example.com", "empty-label"],
  ])("%s", (name, kind) => {
    expect(referenceNameProblem(name)?.kind ?? null).toBe(kind);
  });

  test("the host a TLS client verifies, without the port", () => {
    expect(registryHost("registry.example.com:5000")).toBe("registry.example.com");
    expect(registryHost("[::1]:5000")).toBe("::1");
    expect(registryHost("registry.example.com")).toBe("registry.example.com");
  });
});

describe("Go's renderings", () => {
  test("time.RFC3339 of a UTC instant has no fraction", () => {
    expect(goRfc3339(new Date("2021-01-01T00:00:00.000Z"))).toBe("2021-01-01T00:00:00Z");
  });
  test("net.ParseIP for the forms a registry host takes", () => {
    expect(parseIp("10.0.0.5")).not.toBeNull();
    expect(parseIp("::1")).not.toBeNull();
    expect(parseIp("::ffff:10.0.0.5")).toEqual(parseIp("10.0.0.5"));
    expect(parseIp("256.0.0.1")).toBeNull();
    expect(parseIp("registry")).toBeNull();
    expect(parseIp("1:2:3:4:5:6:7:8:9")).toBeNull();
  });
});

describe("backup names (CD113)", () => {
  test.each([
    ["old-ca.crt", true],
    ["ca-old.crt", true],
    ["ca.bak.crt", true],
    ["client-2023.cert", true],
    ["ca (1).crt", true],
    ["Copy of ca.crt", true],
    ["ca.crt", false],
    ["client.cert", false],
    ["bold.crt", false],
    ["ca.crt.bak", false],
  ])("%s → %s", (name, yes) => {
    expect(looksLikeBackup(name)).toBe(yes);
  });
});
