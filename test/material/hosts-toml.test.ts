import { parseHostsToml } from "../../src/material/hosts-toml.js";

const BASE = "/etc/containerd/certs.d/registry.example.com:5000";
const V22 = { referrers: true, dialTimeout: true };
const parse = (toml: string, features = V22) => parseHostsToml(Buffer.from(toml), BASE, features);
const error = (toml: string, features = V22) => {
  const r = parse(toml, features);
  return r.ok ? null : r.error;
};

describe("containerd's validation messages, verbatim", () => {
  test.each([
    ['[host."https://m"]\ncapabilities = ["pull", "fetch"]', "unknown capability fetch"],
    ["ca = 5", 'invalid type 5 for "ca"'],
    ["ca = true", 'invalid type true for "ca"'],
    ['ca = { file = "x" }', 'invalid type map[file:x] for "ca"'],
    ['ca = ["a", 5]', "unable to cast 5 to string"],
    ['client = [["a", "b", "c"]]', 'invalid pair [a b c] for "client"'],
    ['client = [["a"]]', 'invalid pair [a] for "client"'],
    ["client = [5]", 'invalid type int64 for "client"'],
    ["client = [1.5]", 'invalid type float64 for "client"'],
    ["client = true", 'invalid type true for "client"'],
    ["[header]\nx = 5", 'invalid type 5 for header "x"'],
    [
      'server = "https://exa mple.com"',
      'unable to parse server https://exa mple.com: parse "https://exa mple.com": invalid character " " in host name',
    ],
    [
      'server = "registry:abc"',
      'unable to parse server https://registry:abc: parse "https://registry:abc": invalid port ":abc" after host',
    ],
    ['dial_timeout = "5x"', 'time: unknown unit "x" in duration "5x"'],
  ])("%s", (toml, message) => {
    const r = parse(toml);
    expect(r).toMatchObject({ ok: false, error: message, verbatim: true, stage: "validation" });
  });

  test("capabilities are case-insensitive, and referrers needs v2.2", () => {
    expect(error('capabilities = ["PULL", "Referrers"]')).toBeNull();
    expect(error('capabilities = ["pull", "referrers"]', { referrers: false, dialTimeout: true })).toBe(
      "unknown capability referrers",
    );
  });

  test("dial_timeout before v2.1 is an unknown key: ignored, so no error", () => {
    expect(parse('dial_timeout = "5x"', { referrers: false, dialTimeout: false })).toMatchObject({
      ok: true,
      unknownKeys: [{ key: "dial_timeout" }],
    });
  });
});

describe("decoding", () => {
  test("hosts come in table-header order, the server entry last; relative paths join the host directory", () => {
    const r = parse(`server = "https://registry.example.com:5000"
[host."https://b.example.com"]
  ca = "b.crt"
[host."https://a.example.com"]
  capabilities = ["pull"]
  client = [["/etc/ssl/c.pem", "k.pem"]]
[host."https://a.example.com".header]
  x-token = ["1", "2"]
`);
    if (!r.ok) throw new Error(r.error);
    expect(
      r.endpoints.map((e) => [e.server, e.host, e.path, e.capabilities, e.caCerts, e.clientPairs, e.headers, e.line]),
    ).toEqual([
      ["https://b.example.com", "b.example.com", "/v2", ["pull", "resolve", "push"], [`${BASE}/b.crt`], null, null, 2],
      [
        "https://a.example.com",
        "a.example.com",
        "/v2",
        ["pull"],
        null,
        [["/etc/ssl/c.pem", `${BASE}/k.pem`]],
        { "x-token": ["1", "2"] },
        4,
      ],
      [
        "https://registry.example.com:5000",
        "registry.example.com:5000",
        "/v2",
        ["pull", "resolve", "push"],
        null,
        null,
        null,
        null,
      ],
    ]);
  });

  test("a server without scheme gets https://, and /v2 unless override_path", () => {
    const r = parse('server = "mirror.example.com/base"\noverride_path = true');
    expect(r.ok && r.endpoints[0]).toMatchObject({ scheme: "https", host: "mirror.example.com", path: "/base" });
  });

  test("a comment-only file is valid: one implicit endpoint", () => {
    const r = parse("# nothing\n");
    expect(r.ok && r.endpoints.length).toBe(1);
  });

  test("unknown keys are dropped, with a suggestion", () => {
    const r = parse(
      '[host."https://m"]\n  skip-verify = true\n  capability = ["pull"]\n  ca_file = "x"\n[hosts."https://n"]\n',
    );
    expect(r.ok && r.unknownKeys).toEqual([
      { key: "hosts", suggestion: "host" },
      { key: 'host."https://m".skip-verify', suggestion: "skip_verify" },
      { key: 'host."https://m".capability', suggestion: "capabilities" },
      { key: 'host."https://m".ca_file', suggestion: "ca" },
    ]);
  });

  test("a host given with dotted keys is decoded but never used", () => {
    const r = parse('host."https://dotted".ca = "x"');
    expect(r.ok && [r.endpoints.length, r.unusedHosts]).toEqual([1, ["https://dotted"]]);
  });

  test("keys match case-insensitively, as go-toml v2 does", () => {
    const r = parse('CA = "x.crt"');
    expect(r.ok && r.endpoints[0]!.caCerts).toEqual([`${BASE}/x.crt`]);
  });

  test("TOML syntax and type errors are reported, not verbatim", () => {
    expect(parse('[host."https://a"\nca = "x"')).toMatchObject({
      ok: false,
      stage: "syntax",
      verbatim: false,
      line: 1,
    });
    expect(parse('skip_verify = "yes"')).toMatchObject({ ok: false, stage: "type", verbatim: false });
    expect(parse("capabilities = [1]")).toMatchObject({ ok: false, stage: "type" });
    expect(parse("[[host]]\nca = 1")).toMatchObject({ ok: false, stage: "type" });
  });
});

describe("containerd 1.x: go-toml v1", () => {
  const V16 = { referrers: false, dialTimeout: false, goTomlV1: true };

  test("a file without a host table fails, verbatim", () => {
    for (const toml of ["# only a comment\n", 'server = "https://registry.example.com:5000"\n', "host = 5\n"]) {
      expect(parse(toml, V16)).toMatchObject({
        ok: false,
        error: "invalid `host` tree",
        verbatim: true,
        stage: "validation",
      });
    }
  });

  test("a syntax error carries go-toml v1's prefix and position", () => {
    expect(parse('[host."https://a"\nca = "x"', V16)).toMatchObject({
      ok: false,
      stage: "syntax",
      error: expect.stringMatching(/^failed to parse TOML: \(1, \d+\): /) as jest.AsymmetricMatcher,
    });
  });

  test("hosts are ordered by the line they first appear on, dotted keys included, and none goes unused", () => {
    const r = parse('host."https://dotted".ca = "d.crt"\n[host."https://b"]\n[host."https://a"]\n', V16);
    if (!r.ok) throw new Error(r.error);
    expect([r.endpoints.map((e) => [e.server, e.line]), r.unusedHosts]).toEqual([
      [
        ["https://dotted", 1],
        ["https://b", 2],
        ["https://a", 3],
        ["", null],
      ],
      [],
    ]);
  });
});
