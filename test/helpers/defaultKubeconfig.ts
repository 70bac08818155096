/**
 * Loaded before every unit test (.mocharc.json): the default kubeconfig (`$KUBECONFIG`) is the test fixture plus a
 * context `cN-admin` (cluster `cN` at 192.0.2.(10+N), never contacted) for every cluster the generated configs name,
 * so the config layer's kubeconfig checks see the stacks' contexts on every machine and never read the developer's
 * own. A test about a missing default kubeconfig sets `$KUBECONFIG` itself.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { TEST_KUBECONFIG } from "./configs";

/** The most clusters a generated test config has (the model's ceiling is 50). */
const GENERATED_CONTEXTS = 64;

interface Named {
    name: string;
}
const doc = YAML.parse(fs.readFileSync(TEST_KUBECONFIG, "utf8")) as { clusters: Named[]; contexts: Named[] };
for (let n = 1; n <= GENERATED_CONTEXTS; n++) {
    if (!doc.clusters.some((c) => c.name === `c${n}`)) doc.clusters.push({ name: `c${n}`, cluster: { server: `https://192.0.2.${10 + n}:6443` } } as Named);
    if (!doc.contexts.some((c) => c.name === `c${n}-admin`)) doc.contexts.push({ name: `c${n}-admin`, context: { cluster: `c${n}`, user: "admin" } } as Named);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "unit-kubeconfig-"));
const file = path.join(dir, "kubeconfig.yaml");
fs.writeFileSync(file, YAML.stringify(doc));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

process.env.KUBECONFIG = file;
