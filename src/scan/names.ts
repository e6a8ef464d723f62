/** What an entry's name alone says about it. */

const MATERIAL_EXTENSIONS = new Set(["crt", "cert", "key", "pem", "cer", "der", "p12", "pfx", "p7b", "p7c", "csr", "ca-bundle"]);

/** A file name that certificate material can hide behind: live or ignored extensions, backups of them, hosts.toml. */
export function looksLikeMaterialName(name: string): boolean {
  if (name === "hosts.toml") return true;
  const lower = name.toLowerCase().replace(/~+$/, "");
  return lower.split(".").slice(1).some((p) => MATERIAL_EXTENSIONS.has(p));
}

/** macOS AppleDouble metadata ("._ca.crt"), written next to files copied from a Mac to a non-Apple file system. */
export function isAppleDouble(name: string): boolean {
  return name.startsWith("._") && name.length > 2;
}

/** A name that reads like a registry directory: localhost, _default, anything with a dot or colon, host_port_. */
export function hostLikeName(name: string): boolean {
  return name === "localhost" || name === "_default" || /[.:]/.test(name) || /_\d+_$/.test(name);
}
