import { ENCRYPTED, unparseableKeys } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD303",
    name: "key-encrypted",
    severity: "error",
    description:
      "A passphrase-protected client key (ENCRYPTED PRIVATE KEY, " +
      "or Proc-Type: 4,ENCRYPTED): no runtime can ask for the passphrase",
    programText: {
      docker: "tls: failed to parse private key",
      podman: "tls: failed to parse private key",
      containerd: "failed to load X509 key pair: tls: failed to parse private key",
      "docker-containerd": "failed to load X509 key pair: tls: failed to parse private key",
    },
  },
  check(ctx, report) {
    for (const k of unparseableKeys(ctx)) {
      if (!ENCRYPTED.includes(k.kind)) continue;
      const form =
        k.kind === "encrypted-pkcs8"
          ? "an encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY)"
          : "a legacy encrypted PEM key (Proc-Type: 4,ENCRYPTED)";
      report({
        file: k.keyFile,
        runtimeErrors: k.errors,
        message:
          `${k.keyFile} is ${form}: the daemons read it without a passphrase and have no way to ask for one, ` +
          `so Go reports it as unparseable. ` +
          `${say(k.failing, "fails", "fail")} every pull, push and login for this registry. ` +
          `Store it decrypted, readable by root only: ` +
          `\`openssl pkey -in ${k.keyFile} -out ${k.keyFile}.plain && chmod 600 ${k.keyFile}.plain && mv ` +
          `${k.keyFile}.plain ${k.keyFile}\`.`,
      });
    }
  },
});
