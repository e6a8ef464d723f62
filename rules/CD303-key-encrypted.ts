import { ENCRYPTED, unparseableKeys } from "../src/facts/pairs.js";
import { defineRule } from "../src/engine/rule.js";
import { say, shellQuote } from "../src/facts/wording.js";

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
      const pkcs8 = k.kind === "encrypted-pkcs8";
      const form = pkcs8
        ? "an encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY)"
        : "a legacy encrypted PEM key (Proc-Type: 4,ENCRYPTED)";
      const key = shellQuote(k.keyFile);
      const plain = shellQuote(`${k.keyFile}.plain`);
      report({
        file: k.keyFile,
        runtimeErrors: k.errors,
        messageId: k.kind,
        headline:
          `Passphrase-protected key (${pkcs8 ? "BEGIN ENCRYPTED PRIVATE KEY" : "Proc-Type: 4,ENCRYPTED"}); ` +
          `no runtime can ask for the passphrase`,
        why:
          `${k.keyFile} is ${form}: the daemons read it without a passphrase and have no way to ask for one, ` +
          `so Go reports it as unparseable. ` +
          `${say(k.failing, "fails", "fail")} every pull, push and login for this registry.`,
        fix: {
          text: "Store it decrypted, readable by root only (openssl asks for the passphrase):",
          command: `openssl pkey -in ${key} -out ${plain} && chmod 600 ${plain} && mv ${plain} ${key}`,
        },
      });
    }
  },
});
