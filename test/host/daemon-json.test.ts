/**
 * daemon.json as dockerd reads it. The syntax texts are Go's encoding/json ones: compared with Go itself (json.Unmarshal
 * into map[string]any, as moby's getConflictFreeConfiguration does) on every one-byte deletion and a set of one-byte
 * insertions of a real daemon.json; skipped with a reason when Go is not installed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readDaemonJson, splitInsecure } from "../../src/host/config-files.js";
import { goJsonSyntaxError } from "../../src/host/go-json.js";

const SAMPLE = Buffer.from(
  '{"insecure-registries": ["myreg:5000", "10.0.0.0/8"], "registry-mirrors": ["https://m.example:5000"],' +
    ' "features": {"containerd-snapshotter": true}, "debug": false, "n": -1.5e+3, "s": "a\\u00e9\\n", "z": null}',
);

function variants(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < SAMPLE.length; i++) out.push(Buffer.concat([SAMPLE.subarray(0, i), SAMPLE.subarray(i + 1)]));
  for (const c of ["}", "]", ",", ":", '"', "x", "0", "\\", "\t", "\u0001", "\u00e9", "-", "."]) {
    for (let i = 0; i <= SAMPLE.length; i += 3)
      out.push(Buffer.concat([SAMPLE.subarray(0, i), Buffer.from(c, "latin1"), SAMPLE.subarray(i)]));
  }
  return out;
}

const GO = `package main
import ("bufio"; "encoding/base64"; "encoding/json"; "fmt"; "os")
func main() {
	s := bufio.NewScanner(os.Stdin)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		b, _ := base64.StdEncoding.DecodeString(s.Text())
		var v map[string]any
		err := json.Unmarshal(b, &v)
		if se, ok := err.(*json.SyntaxError); ok { fmt.Println(se.Error()) } else { fmt.Println("OK") }
	}
}
`;

const hasGo = spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
const goTest = hasGo ? test : test.skip;
if (!hasGo) console.log("skipping the comparison with Go's encoding/json: go is not installed");

goTest(
  "every syntax error text is Go's, on every variant",
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-gojson-"));
    try {
      writeFileSync(path.join(dir, "main.go"), GO);
      writeFileSync(path.join(dir, "go.mod"), "module gojson\ngo 1.19\n");
      const build = spawnSync("go", ["build", "-o", "gojson", "."], { cwd: dir, encoding: "utf8" });
      expect(build.stderr).toBe("");
      const all = variants();
      const run = spawnSync(path.join(dir, "gojson"), {
        input: all.map((b) => b.toString("base64")).join("\n") + "\n",
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      const go = run.stdout.trimEnd().split("\n");
      expect(go).toHaveLength(all.length);
      const differ = all
        .map((b, i) => ({ input: b.toString("latin1"), go: go[i], ours: goJsonSyntaxError(b) ?? "OK" }))
        .filter((r) => r.go !== r.ours);
      expect(differ).toEqual([]);
      expect(go.filter((g) => g !== "OK").length).toBeGreaterThan(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  120_000,
);

test("an invalid daemon.json gives dockerd's own refusal, as each release words it", () => {
  const bad = Buffer.from('{"insecure-registries": ["myreg:5000",]}\n');
  const refused = "unable to configure the Docker daemon with file /etc/docker/daemon.json: ";
  // v23 to v29.7.1: json.Unmarshal's text as it is (moby docker-v29.7.1 getConflictFreeConfiguration).
  expect(readDaemonJson("/etc/docker/daemon.json", bad, "29.7.1").error).toBe(
    `${refused}invalid character ']' looking for beginning of value`,
  );
  expect(readDaemonJson("/d.json", Buffer.from("\ufeff  \n")).error).toBeNull();
  expect(readDaemonJson("/d.json", Buffer.from('{"a": 1'), "25").error).toBe(
    "unable to configure the Docker daemon with file /d.json: unexpected end of JSON input",
  );
  // From v29.7.2 (and a bare "29", the newest 29.x): `invalid JSON: ` before it.
  for (const version of ["29", "29.7.2", "30"])
    expect([version, readDaemonJson("/etc/docker/daemon.json", bad, version).error]).toEqual([
      version,
      `${refused}invalid JSON: invalid character ']' looking for beginning of value`,
    ]);
});

test("dockerd before v23 reads the bytes as they are through json.NewDecoder (v20.10.24, what the oracle's prints)", () => {
  const v20 = (text: string | Buffer) =>
    readDaemonJson("/etc/docker/daemon.json", Buffer.isBuffer(text) ? text : Buffer.from(text), "20.10").error;
  const refused = "unable to configure the Docker daemon with file /etc/docker/daemon.json: ";
  expect(v20("")).toBe(`${refused}EOF`);
  expect(v20(" \n")).toBe(`${refused}EOF`);
  expect(v20("\ufeff{}")).toBe(`${refused}invalid character 'ï' looking for beginning of value`);
  expect(v20('{"a": 1')).toBe(`${refused}unexpected EOF`);
  expect(v20('{"a": ]}')).toBe(`${refused}invalid character ']' looking for beginning of value`);
  // The Decoder stops after the first value: what follows is never read.
  const d = readDaemonJson("/etc/docker/daemon.json", Buffer.from('{"insecure-registries": ["r:5000"]} junk'), "20.10");
  expect([d.error, d.insecureRegistries]).toEqual([null, ["r:5000"]]);
  // The same files for v23 and later.
  expect(readDaemonJson("/d.json", Buffer.from(""), "23").error).toBeNull();
  expect(readDaemonJson("/d.json", Buffer.from("\ufeff{}"), "23").error).toBeNull();
});

test("insecure-registries split as loadInsecureRegistries does; mirrors as hosts; the snapshotter feature", () => {
  const d = readDaemonJson(
    "/etc/docker/daemon.json",
    Buffer.from(
      '{"insecure-registries": ["http://myreg:5000", "10.0.0.0/8", "r.example"], ' +
        '"registry-mirrors": ["https://mirror.example:5000/"], "features": {"containerd-snapshotter": false}}',
    ),
  );
  expect(splitInsecure(d.insecureRegistries)).toEqual({ names: ["myreg:5000", "r.example"], cidrs: ["10.0.0.0/8"] });
  expect(d.mirrors).toEqual(["mirror.example:5000"]);
  expect(d.containerdSnapshotter).toBe(false);
});
