/**
 * Checks on container images: which registry (hub) each comes from.
 * Part of the pure checks re-exported by policyChecks.ts; values not known yet arrive as {@link UNKNOWN}.
 */
import { asArray, isPlainObject } from "../config/objects";
import { isUnknown, type Maybe } from "../config/unknowns";

/** Default registries Istio images and the sample curl image are pulled from. */
export const DEFAULT_ALLOWED_HUBS = ["docker.io/istio", "gcr.io/istio-release", "docker.io/curlimages"] as const;

/**
 * Splits an image reference into registry-qualified repository (Docker Hub names expanded:
 * `istio/pilot` -> `docker.io/istio/pilot`, `busybox` -> `docker.io/library/busybox`).
 */
export function imageRepository(image: string): string {
    let name = image.split("@")[0] ?? image;
    const slash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    if (colon > slash) name = name.slice(0, colon);
    const parts = name.split("/");
    const first = parts[0] ?? "";
    const hasRegistry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
    if (!hasRegistry) return parts.length === 1 ? `docker.io/library/${name}` : `docker.io/${name}`;
    return first === "index.docker.io" || first === "registry-1.docker.io" ? ["docker.io", ...parts.slice(1)].join("/") : name;
}

function normalizeHub(hub: string): string {
    const h = hub.replace(/\/+$/, "");
    const parts = h.split("/");
    const first = parts[0] ?? "";
    const hasRegistry = parts.length > 1 ? first.includes(".") || first.includes(":") || first === "localhost" : first.includes(".");
    return hasRegistry ? h : `docker.io/${h}`;
}

/** True if `image` (or the injection placeholder `auto`) comes from one of `allowedHubs` (a repository prefix). */
export function isImageFromAllowedHub(image: string, allowedHubs: readonly string[]): boolean {
    if (image === "auto") return true;
    const repo = imageRepository(image);
    return allowedHubs.some((h) => repo.startsWith(`${normalizeHub(h)}/`));
}

/** True if a chart's `hub` value (e.g. `global.hub`) is one of, or below one of, `allowedHubs`. */
export function isHubAllowed(hub: string, allowedHubs: readonly string[]): boolean {
    const n = normalizeHub(hub);
    return allowedHubs.some((h) => n === normalizeHub(h) || n.startsWith(`${normalizeHub(h)}/`));
}

/** Every container image of a pod spec (containers, initContainers, ephemeralContainers), with its path. */
export function podSpecImages(podSpec: unknown, path: string): { path: string; image: Maybe<string> }[] {
    const out: { path: string; image: Maybe<string> }[] = [];
    if (!isPlainObject(podSpec)) return out;
    for (const kind of ["initContainers", "containers", "ephemeralContainers"] as const) {
        asArray(podSpec[kind]).forEach((c, i) => {
            if (!isPlainObject(c)) return;
            const image = c.image;
            if (typeof image === "string" || isUnknown(image)) out.push({ path: `${path}.${kind}[${i}].image`, image });
        });
    }
    return out;
}
