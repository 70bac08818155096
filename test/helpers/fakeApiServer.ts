/**
 * A local stand-in for a Kubernetes API server, for testing the reader-token read-back's failure modes under
 * mocks: it answers GET /api/v1/namespaces/<ns>/secrets/<name> with a chosen status, never answers, or serves
 * TLS with a certificate the client does not trust. Listens on 127.0.0.1, a free port.
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as path from "path";

/** How the fake answers every request. */
export type FakeBehaviour =
    | { kind: "status"; status: number }
    | { kind: "secret"; data: Record<string, string>; metadata?: Record<string, unknown> }
    | { kind: "hang" }
    | { kind: "untrustedTls" }
    /**
     * Answers by path (the query string left off): the first route whose path it is and whose decoded query
     * contains `query` (when given); 404 for any other.
     */
    | { kind: "routes"; routes: { path: string; query?: string; status?: number; body: unknown }[] };

/** A running fake: its kubeconfig (token `fake-bearer-token-0042`), how many requests it saw (and their paths), and close(). */
export interface FakeApiServer {
    kubeconfig: string;
    requests: () => number;
    /** The path of each request so far, query string left off. */
    paths: () => string[];
    close: () => Promise<void>;
}

/** The bearer token every fake kubeconfig carries (tests check it is never echoed). */
export const FAKE_TOKEN = "fake-bearer-token-0042";

const CA_DIR = path.join(__dirname, "..", "fixtures", "ca");

export async function startFakeApiServer(behaviour: FakeBehaviour): Promise<FakeApiServer> {
    let seen = 0;
    const paths: string[] = [];
    const handler: http.RequestListener = (req, res) => {
        seen++;
        paths.push((req.url ?? "").split("?")[0]);
        if (behaviour.kind === "hang") return;
        if (behaviour.kind === "routes") {
            const [p, q = ""] = (req.url ?? "").split("?");
            const route = behaviour.routes.find((r) => r.path === p && (r.query === undefined || decodeURIComponent(q).includes(r.query)));
            const status = route ? (route.status ?? 200) : 404;
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(route ? route.body : { kind: "Status", apiVersion: "v1", status: "Failure", code: 404 }));
            return;
        }
        const body =
            behaviour.kind === "secret"
                ? {
                      kind: "Secret",
                      apiVersion: "v1",
                      metadata: { name: "t", namespace: "istio-system", ...behaviour.metadata },
                      data: behaviour.data,
                  }
                : { kind: "Status", apiVersion: "v1", status: "Failure", code: behaviour.kind === "status" ? behaviour.status : 500 };
        res.writeHead(behaviour.kind === "status" ? behaviour.status : 200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
    };
    const tls = behaviour.kind === "untrustedTls";
    const server = tls
        ? https.createServer(
              { cert: fs.readFileSync(path.join(CA_DIR, "leaf-cert.pem")), key: fs.readFileSync(path.join(CA_DIR, "leaf-key.pem")) },
              handler,
          )
        : http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    return {
        kubeconfig: fakeKubeconfig(`${tls ? "https" : "http"}://127.0.0.1:${port}`),
        requests: () => seen,
        paths: () => [...paths],
        close: () =>
            new Promise<void>((r) => {
                server.closeAllConnections();
                server.close(() => r());
            }),
    };
}

/**
 * A kubeconfig for `server` with the fake bearer token (context `fake`). The client library refuses plain
 * http unless TLS verification is skipped, so an http:// server gets `insecure-skip-tls-verify`.
 */
export function fakeKubeconfig(server: string): string {
    const skip = server.startsWith("http://") ? ", insecure-skip-tls-verify: true" : "";
    return [
        "apiVersion: v1",
        "kind: Config",
        "current-context: fake",
        `clusters: [{name: fake, cluster: {server: "${server}"${skip}}}]`,
        "contexts: [{name: fake, context: {cluster: fake, user: fake}}]",
        `users: [{name: fake, user: {token: ${FAKE_TOKEN}}}]`,
        "",
    ].join("\n");
}
