/**
 * Which certificates of the host directory a private key belongs to (tls.X509KeyPair's public-key comparison), for
 * the rules that ask "whose key is this?": a CA's, the registry's own server key, the one beside it in a .crt.
 * Asked once per key and host, whichever rule asks first.
 */
import type { HostContext } from "../engine/rule.js";
import type { GoPrivateKey } from "../material/go-keys.js";
import { keyMatch } from "../material/go-tls.js";
import { type CertificateBlock, certificatesOf } from "../material/material.js";
import type { Entry } from "../scan/types.js";

export interface OwnedCertificate {
  entry: Entry;
  block: CertificateBlock;
}

/** The per-host index, filled as keys are asked about. */
function ownersIndex(): Map<GoPrivateKey, OwnedCertificate[]> {
  return new Map();
}

/** Every certificate in the directory whose public key is this key's, in entry order, then file order. */
export function certificatesForKey(ctx: HostContext, key: GoPrivateKey): readonly OwnedCertificate[] {
  const index = ctx.fact(ownersIndex);
  let owners = index.get(key);
  if (!owners) {
    owners = [];
    for (const entry of ctx.host.entries) {
      const m = ctx.material(entry);
      for (const block of m ? certificatesOf(m) : [])
        if (block.parse.cert && keyMatch(key, block.parse.cert) === null) owners.push({ entry, block });
    }
    index.set(key, owners);
  }
  return owners;
}
