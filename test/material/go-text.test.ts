/**
 * Go's renderings that containerd's messages are built from. Every expectation here was produced by Go 1.19
 * (fmt %v, time.ParseDuration, net/url.Parse) and copied verbatim.
 */
import { goFloat, goParseDuration, goT, goV } from "../../src/material/go-format.js";
import { goUrlParse } from "../../src/material/go-url.js";

test.each([
  [5, "5"],
  [1.5, "1.5"],
  [100000, "100000"],
  [1e6, "1e+06"],
  [1234567, "1.234567e+06"],
  [1e20, "1e+20"],
  [1e21, "1e+21"],
  [0.0001, "0.0001"],
  [0.00001, "1e-05"],
  [3.14159, "3.14159"],
  [-2.5, "-2.5"],
  [1e-7, "1e-07"],
  [123456789012.5, "1.234567890125e+11"],
])("fmt %%v of float64 %d is %s", (f, text) => {
  expect(goFloat(f)).toBe(text);
});

test("%v and %T of decoded TOML values", () => {
  expect([goV(5n), goT(5n)]).toEqual(["5", "int64"]);
  expect([goV(true), goT(true)]).toEqual(["true", "bool"]);
  expect([goV(["a", 5n]), goT(["a"])]).toEqual(["[a 5]", "[]interface {}"]);
  expect([goV({ b: "2", a: 1n }), goT({})]).toEqual(["map[a:1 b:2]", "map[string]interface {}"]);
});

test.each([
  ["", 'time: invalid duration ""'],
  ["0", 0n],
  ["5", 'time: missing unit in duration "5"'],
  ["5x", 'time: unknown unit "x" in duration "5x"'],
  ["1h30m", 5400000000000n],
  [".s", 'time: invalid duration ".s"'],
  ["abc", 'time: invalid duration "abc"'],
  ["-1.5s", -1500000000n],
  ["1e3s", 'time: unknown unit "e" in duration "1e3s"'],
  ["9999999999999999999h", 'time: invalid duration "9999999999999999999h"'],
  ["+", 'time: invalid duration "+"'],
  ["3 s", 'time: unknown unit " s" in duration "3 s"'],
  ["µs", 'time: invalid duration "\\xc2\\xb5s"'],
  ["10mss", 'time: unknown unit "mss" in duration "10mss"'],
])("time.ParseDuration(%j)", (input, expected) => {
  const r = goParseDuration(input);
  expect("error" in r ? r.error : r.ns).toEqual(expected);
});

test.each([
  ["https://registry.example.com:5000/v2", "https|registry.example.com:5000|/v2"],
  ["https://exa mple.com", 'parse "https://exa mple.com": invalid character " " in host name'],
  ["https://host:abc", 'parse "https://host:abc": invalid port ":abc" after host'],
  ["https://[::1]:5000", "https|[::1]:5000|"],
  ["https://[::1", "parse \"https://[::1\": missing ']' in host"],
  ["https://u ser@host", 'parse "https://u ser@host": net/url: invalid userinfo'],
  ["https://host/%zz", 'parse "https://host/%zz": invalid URL escape "%zz"'],
  ["https://ho%41st", 'parse "https://ho%41st": invalid URL escape "%41"'],
  ["https://host#%zz", 'parse "https://host#%zz": invalid URL escape "%zz"'],
  ["https://host\x01", 'parse "https://host\\x01": net/url: invalid control character in URL'],
  ["https://ho{st", 'parse "https://ho{st": invalid character "{" in host name'],
  ["https://host:5000:6000", "https|host:5000:6000|"], // the port is what follows the last colon
  [":foo", 'parse ":foo": missing protocol scheme'],
])("url.Parse(%j)", (input, expected) => {
  const r = goUrlParse(input);
  expect("error" in r ? r.error : `${r.scheme}|${r.host}|${r.path}`).toBe(expected);
});
