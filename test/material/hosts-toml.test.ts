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

  test("TOML syntax and type errors in go-toml v2's words (v2.2.x, as containerd v2.x vendors it)", () => {
    expect(parse('[host."https://a"\nca = "x"')).toMatchObject({
      ok: false,
      stage: "syntax",
      error: "toml: expected character ]",
      verbatim: true,
      line: 1,
    });
    expect(parse('capabilities = ["pull" "push"]')).toMatchObject({
      error: "toml: array elements must be separated by commas",
      verbatim: true,
    });
    expect(parse("ca = ca.crt")).toMatchObject({ error: "toml: incomplete number", verbatim: true });
    expect(parse('skip_verify = "yes"')).toMatchObject({
      ok: false,
      stage: "type",
      error: "toml: cannot decode TOML string into struct field config.hostFileConfig.SkipVerify of type *bool",
      verbatim: true,
    });
    expect(parse("capabilities = [1]")).toMatchObject({
      ok: false,
      stage: "type",
      error: "toml: cannot decode TOML integer into struct field config.hostFileConfig.Capabilities of type []string",
    });
    expect(parse("[[host]]\nca = 1")).toMatchObject({ ok: false, stage: "type" });
  });

  test("line ends and BOM: CRLF is fine; a lone CR and a leading BOM are errors for go-toml v2", () => {
    const doc = '[host."https://a"]\nca = "a.crt"\n';
    expect(parse(doc.replace(/\n/g, "\r\n"))).toMatchObject({ ok: true });
    expect(parse(doc.replace(/\n/g, "\r"))).toMatchObject({
      ok: false,
      stage: "syntax",
      error: "toml: windows new line should be \\r\\n",
      verbatim: true,
      line: 1,
    });
    expect(parse(`\ufeff${doc}`)).toMatchObject({
      ok: false,
      stage: "syntax",
      error: "toml: invalid character at start of key: \u00ef",
      verbatim: true,
    });
  });

  test("go-toml v2 takes a [Host.…] table into the host map, but containerd never orders it: unused", () => {
    const r = parse('[Host."https://a"]\nca = "a.crt"\n');
    expect(r.ok && [r.endpoints.length, r.unusedHosts]).toEqual([1, ["https://a"]]);
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

  test("a syntax error carries containerd's prefix and go-toml v1's position and words", () => {
    expect(parse('[host."https://a"]\ncapabilities = ["pull" "push"]', V16)).toMatchObject({
      ok: false,
      stage: "syntax",
      error: "failed to parse TOML: (2, 25): missing comma",
      verbatim: true,
      line: 2,
    });
    expect(parse('[host."https://a"\nca = "x"', V16)).toMatchObject({
      error: "failed to parse TOML: (1, 2): unexpected token unclosed table key, was expecting a table key",
    });
  });

  test("keys match only as written in lower case or ALL-CAPS: Title-case keys are ignored (and reported unknown)", () => {
    const r = parse('[host."https://a"]\nCa = "root.pem"\nSkip_Verify = true\nCAPABILITIES = ["pull"]\n', V16);
    if (!r.ok) throw new Error(r.error);
    expect([r.endpoints[0]!.caCerts, r.endpoints[0]!.skipVerify, r.endpoints[0]!.capabilities]).toEqual([
      null,
      null,
      ["pull"],
    ]);
    expect(r.unknownKeys).toEqual([
      { key: 'host."https://a".Ca', suggestion: "ca" },
      { key: 'host."https://a".Skip_Verify', suggestion: "skip_verify" },
    ]);
  });

  test("[Host.…] is not the host tree: invalid", () => {
    expect(parse('[Host."https://a"]\nca = "a.crt"\n', V16)).toMatchObject({
      ok: false,
      error: "invalid `host` tree",
      verbatim: true,
    });
  });

  test("a lone CR ends a line (but not a comment), a leading BOM is dropped, CRLF is fine", () => {
    const doc = '[host."https://a"]\nca = "a.crt"\n';
    for (const d of [doc.replace(/\n/g, "\r"), doc.replace(/\n/g, "\r\n"), `\ufeff${doc}`]) {
      const r = parse(d, V16);
      expect(r.ok && r.endpoints[0]!.caCerts).toEqual([`${BASE}/a.crt`]);
    }
    const r = parse('[host."https://a"]\n# note\rca = "a.crt"\n', V16);
    expect(r.ok && r.endpoints[0]!.caCerts).toBeNull();
  });

  test("a table header ends at its first ], quotes or not: an IPv6 host does not parse", () => {
    expect(parse('[host."https://[::1]:5000"]\nca = "a.crt"\n', V16)).toMatchObject({
      ok: false,
      error: "failed to parse TOML: (1, 2): unexpected token table key cannot contain ']', was expecting a table key",
      verbatim: true,
    });
  });

  test("type errors in go-toml v1's words, at the key", () => {
    expect(parse('[host."https://a"]\n  skip_verify = "true"\n', V16)).toMatchObject({
      ok: false,
      stage: "type",
      error: "(2, 3): Can't convert true(string) to bool",
      verbatim: true,
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
