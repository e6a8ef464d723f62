import { decodeAll, goBase64Decode, scanPem } from "../../src/material/pem.js";

const b = (s: string) => Buffer.from(s, "latin1");
const types = (s: string) => decodeAll(b(s)).map((x) => x.type);

const BODY = "MAEC"; // base64 of 30 01 02
const block = (type: string, body = BODY) => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;

describe("Go's pem.Decode", () => {
  test("finds consecutive blocks and decodes their bytes", () => {
    const blocks = decodeAll(b(block("CERTIFICATE") + block("PRIVATE KEY")));
    expect(blocks.map((x) => x.type)).toEqual(["CERTIFICATE", "PRIVATE KEY"]);
    expect(Buffer.from(blocks[0]!.bytes).toString("hex")).toBe("300102");
    expect(blocks.map((x) => x.line)).toEqual([1, 4]);
  });

  test("ignores text before, between and after blocks", () => {
    expect(
      types(
        `Bag Attributes\n    friendlyName: x\n${block("CERTIFICATE")}subject=CN=x\n\n${block("CERTIFICATE")}trailer`,
      ),
    ).toEqual(["CERTIFICATE", "CERTIFICATE"]);
  });

  test("accepts CRLF and trailing blanks", () => {
    expect(types(block("CERTIFICATE").replaceAll("\n", " \t\r\n"))).toEqual(["CERTIFICATE"]);
  });

  test("a UTF-8 byte-order mark hides the first block", () => {
    const scan = scanPem(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b(block("CERTIFICATE") + block("CERTIFICATE"))]),
    );
    expect(scan.blocks.map((x) => x.line)).toEqual([4]);
    expect(scan.bom).toBe(true);
    expect(scan.hidden).toEqual([{ type: "CERTIFICATE", line: 1, reason: "bom" }]);
  });

  test("indented BEGIN lines are not blocks", () => {
    const scan = scanPem(b(block("CERTIFICATE").replace(/^/gm, "  ")));
    expect(scan.blocks).toEqual([]);
    expect(scan.hidden[0]!.reason).toBe("indented");
  });

  test("Key: value lines after BEGIN are headers", () => {
    const [blk] = decodeAll(
      b(
        `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n${BODY}\n-----END RSA PRIVATE KEY-----\n`,
      ),
    );
    expect(blk!.headers).toEqual([
      ["Proc-Type", "4,ENCRYPTED"],
      ["DEK-Info", "AES-256-CBC,00"],
    ]);
  });

  test("a block with bad base64 is skipped and decoding goes on", () => {
    const scan = scanPem(b(block("CERTIFICATE", "MA!C") + block("CERTIFICATE")));
    expect(scan.blocks.map((x) => x.line)).toEqual([4]);
    expect(scan.hidden).toEqual([{ type: "CERTIFICATE", line: 1, reason: "bad-base64" }]);
  });

  test("a block without END is skipped; the next block is still found", () => {
    expect(types(`-----BEGIN CERTIFICATE-----\n${BODY}\n${block("CERTIFICATE")}`)).toEqual(["CERTIFICATE"]);
    expect(scanPem(b(`-----BEGIN CERTIFICATE-----\n${BODY}\n`)).hidden[0]!.reason).toBe("no-end");
  });

  test("an END naming another type does not close the block", () => {
    const scan = scanPem(b(`-----BEGIN CERTIFICATE-----\n${BODY}\n-----END X509 CRL-----\n`));
    expect(scan.blocks).toEqual([]);
    expect(scan.hidden[0]!.reason).toBe("end-mismatch");
  });

  test("text after the END marker on its line voids the block", () => {
    expect(types(`-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE----- trailing\n`)).toEqual([]);
  });

  test("an empty block is a block with no bytes", () => {
    const [blk] = decodeAll(b("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
    expect(blk!.type).toBe("CERTIFICATE");
    expect(blk!.bytes.length).toBe(0);
  });

  test("headers running to the end of input stop decoding altogether", () => {
    // Go returns nil, data: a later valid block is never reached.
    expect(types(`${block("CERTIFICATE")}-----BEGIN A-----\nKey: v`)).toEqual(["CERTIFICATE"]);
  });

  test("with headers, the END line may not directly follow the last header line", () => {
    // Go looks for "\n-----END" after the headers; a header line's own newline does not count.
    expect(types(`-----BEGIN A-----\nKey: v\n-----END A-----\n${block("CERTIFICATE")}`)).toEqual(["CERTIFICATE"]);
    expect(types(`-----BEGIN A-----\nKey: v\n\n-----END A-----\n`)).toEqual(["A"]);
  });

  test("UTF-16 text holds no block Go can see, and is recognised as such", () => {
    const scan = scanPem(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(block("CERTIFICATE"), "utf16le")]));
    expect(scan.blocks).toEqual([]);
    expect(scan.utf16).toBe(true);
  });
});

describe("Go's base64.StdEncoding.Decode", () => {
  test.each([
    ["TWFu", "Man"],
    ["TWE=", "Ma"],
    ["TQ==", "M"],
    ["TW\nFu\r\n", "Man"],
    ["TR==", "M"], // non-zero trailing bits are accepted (not Strict)
  ])("decodes %j", (input, out) => {
    expect(goBase64Decode(Buffer.from(input))?.toString()).toBe(out);
  });

  test.each(["TWF", "TQ=", "T===", "TWFu=", "TQ==TQ==", "TW!u"])("refuses %j", (input) => {
    expect(goBase64Decode(Buffer.from(input))).toBeNull();
  });
});
