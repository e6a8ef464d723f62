/**
 * The pairing errors as the models word them (current releases), with <k> and <c> for the bare key and certificate
 * names: what the metadata of the rules about pairs quotes, from the one place the models take it from.
 */
import { TLS_CERT_RATHER_THAN_KEY } from "../material/go-tls.js";
import { DEFAULT_DOCKER_VERSION, dockerEngine } from "../runtimes/docker-engine.js";
import { pairLoadError } from "../runtimes/hostconfig.js";
import { podmanFlavour } from "../runtimes/podman.js";

const dockerWording = dockerEngine(DEFAULT_DOCKER_VERSION).wording;
const podman = podmanFlavour();

export const PAIRING_TEXTS = {
  missingKey: {
    docker: dockerWording.missingKey("<k>", "<c>"),
    podman: podman.missingKey("<k>", "<c>"),
    containerd: pairLoadError(TLS_CERT_RATHER_THAN_KEY),
  },
  missingCertificate: {
    docker: dockerWording.missingCertificate("<c>", "<k>"),
    podman: podman.missingCertificate("<c>", "<k>"),
  },
} as const;
