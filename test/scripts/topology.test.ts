/**
 * `npm run topology`: the stack file → validated model → DOT → SVG pipeline (scripts/topology/). The DOT of the
 * dev and Rancher stacks has every cluster, network, region/zone, gateway and remote-secret link, and the
 * scenarios' rules; it survives any label text; Graphviz lays it out without warnings; the committed pictures in
 * docs/img are what the stack files give today.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MeshModel, REMOTE_SECRET_PREFIX } from "../../components/model";
import { defaultOutFile, runTopology, stackSvg } from "../../scripts/topology/cli";
import { meshDot } from "../../scripts/topology/dot";
import { quote } from "../../scripts/topology/dotText";
import { NodeId } from "../../scripts/topology/ids";
import { renderSvg } from "../../scripts/topology/render";
import { stackFileConfigMap, stackFileModel, PROJECT_DIR } from "../../scripts/topology/stackModel";
import { svgTexts } from "../helpers/svgText";

/** The statement of node `id` in `dot` (its line), or undefined. */
const nodeLine = (dot: string, id: string) => dot.split("\n").find((l) => l.startsWith(`${quote(id)} [`));
/** The edge statements `from -> to` in `dot`. */
const edgeLines = (dot: string, from: string, to: string) =>
    dot.split("\n").filter((l) => l.startsWith(`${quote(from)} -> ${quote(to)} [`));
/** The labels of the edges in `dot` whose label starts with `prefix`. */
const edgeLabels = (dot: string, prefix: string) =>
    [...dot.matchAll(/ -> .*?label="([^"]*)"/g)].map((m) => m[1]!).filter((l) => l.startsWith(prefix));

/** Asserts `re` matches somewhere in `dot`, without printing the whole graph when it does not. */
const assertHas = (dot: string, re: RegExp) => assert.ok(re.test(dot), `the DOT has no match for ${re}`);
/** Asserts `re` matches nowhere in `dot`. */
const assertHasNot = (dot: string, re: RegExp) => assert.ok(!re.test(dot), `the DOT matches ${re}`);

/** A stack file with `config` in a fresh directory, for stackFileModel(stack, dir). */
function stackDir(stack: string, yaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "topology-stack-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml);
    return dir;
}

/** The dev stack's file with cc3 swapped for cc4 (region failover), as its comment suggests. */
function devWithCc4(): MeshModel {
    const text = fs
        .readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")
        .replace("[samples, cc1, cc2, cc3, dnsp1, dnsp2]", "[samples, cc1, cc2, cc4, dnsp1, dnsp2]");
    assert.match(text, /cc4, dnsp1/);
    return stackFileModel("dev", stackDir("dev", text));
}

describe("topology picture: DOT of the dev stack (seed 000)", function () {
    this.timeout(60000);
    const model = stackFileModel("dev");
    const dot = meshDot(model, { stack: "dev" });

    it("has every network as a box holding its cluster, and every cluster's istiod, API server and east-west gateway", () => {
        for (const net of ["network1", "network2", "network3"]) assertHas(dot, new RegExp(`label="network ${net}"`));
        for (const [i, c] of ["cluster1", "cluster2", "cluster3"].entries()) {
            assertHas(dot, new RegExp(`subgraph cluster_c${i} \\{\\ngraph \\[label="cluster ${c}\\\\ncontext c${i + 1}-admin"`));
            assert.match(nodeLine(dot, NodeId.istiod(c)) ?? "", new RegExp(`clusterName ${c}\\\\nnetwork network${i + 1}`));
            assert.match(nodeLine(dot, NodeId.apiServer(c)) ?? "", new RegExp(`kubeconfig context c${i + 1}-admin`));
            assert.match(nodeLine(dot, NodeId.eastWest(c)) ?? "", /istio-eastwestgateway\\nLoadBalancer, 15443\\nAUTO_PASSTHROUGH/);
        }
        // Network boxes nest cluster boxes: cluster2's box opens after network2's and before network3's.
        assert.ok(
            dot.indexOf('label="network network2"') < dot.indexOf('label="cluster cluster2') &&
                dot.indexOf('label="cluster cluster2') < dot.indexOf('label="network network3"'),
        );
    });

    it("has every region and zone, with the zone's nodes and its samples", () => {
        const zones = model.clusters.flatMap((c) => c.nodes.map((n) => ({ c: c.name, ...n })));
        assert.equal(zones.length, 11);
        for (const z of zones) {
            const line = nodeLine(dot, NodeId.zone(z.c, z.region, z.zone));
            assert.ok(line, `zone ${z.c}/${z.region}/${z.zone}`);
            assert.match(
                line!,
                new RegExp(
                    `zone ${z.zone}\\\\nnodes ${z.name}\\\\nhelloworld2-c${z.c.slice(-1)}z${z.zone.slice(-1)}, sleepz${z.zone.slice(-1)}`,
                ),
            );
        }
        for (const r of ["region1", "region2", "region3", "region4"]) assertHas(dot, new RegExp(`label="region ${r}"`));
        assert.equal(dot.match(/label="region region2"/g)?.length, 1);
    });

    it("draws each of the model's six links from the reader's istiod to the target's API server", () => {
        assert.equal(model.links.length, 6);
        for (const l of model.links)
            assert.equal(edgeLines(dot, NodeId.istiod(l.reader), NodeId.apiServer(l.target)).length, 1, `${l.reader} -> ${l.target}`);
        assert.ok(dot.includes(`${REMOTE_SECRET_PREFIX}&lt;target&gt;`), "the legend names the remote secret");
    });

    it("joins the gateways of the three networks, and the shared root CA to each istiod", () => {
        for (const [a, b] of [
            ["cluster1", "cluster2"],
            ["cluster1", "cluster3"],
            ["cluster2", "cluster3"],
        ]) {
            assert.match(edgeLines(dot, NodeId.eastWest(a!), NodeId.eastWest(b!))[0] ?? "", /dir="both"/);
        }
        for (const c of model.clusters) assert.match(edgeLines(dot, NodeId.rootCa, NodeId.istiod(c.name))[0] ?? "", /label="cacerts"/);
    });

    it("draws cc3's distribute weights between localities (regions as boxes) and notes cc2, dnsp1/2 and DNS proxying", () => {
        assert.deepEqual(edgeLabels(dot, "cc3").sort(), ["cc3 100%", "cc3 20%", "cc3 40%", "cc3 40%", "cc3 50%", "cc3 50%"]);
        // region2/zone1/* -> region1/*: to the region box of cluster1 (lhead), not to one of its zones.
        const toRegion1 = edgeLines(dot, NodeId.zone("cluster2", "region2", "zone1"), NodeId.zone("cluster1", "region1", "zone1"));
        assert.match(toRegion1[0] ?? "", /label="cc3 50%".*lhead="cluster_c0_region_0"/);
        // region2/zone3/* -> region4/zone5/*: zone to zone.
        const toZone5 = edgeLines(dot, NodeId.zone("cluster2", "region2", "zone3"), NodeId.zone("cluster2", "region4", "zone5"))[0] ?? "";
        assert.match(toZone5, /label="cc3 100%"/);
        assert.doesNotMatch(toZone5, /lhead/);
        const note1 = nodeLine(dot, NodeId.note("cluster1")) ?? "";
        assert.match(note1, /cc2: DestinationRule sample\/helloworld2-loc1/);
        assert.match(note1, /locality failover priority: same zone -> same region -> other regions/);
        assert.match(note1, /dnsp1: ServiceEntry istio-io \(TLS 443\): istio.io/);
        assert.match(note1, /dnsp2: ServiceEntry mysql-db-2 \(TCP 3306\): database-2\.wecve5t321\.eu-central-1\.rds\.amazonaws\.com/);
        assert.match(nodeLine(dot, NodeId.note("cluster2")) ?? "", /cc3: DestinationRule sample\/helloworld2-loc2/);
        assertHas(dot, /DNS proxying on \(ISTIO_META_DNS_CAPTURE, addresses auto-allocated\)/);
    });

    it("draws cc4's region failover from region box to region box when cc4 is selected instead", () => {
        const cc4 = meshDot(devWithCc4(), { stack: "dev" });
        const e = edgeLines(cc4, NodeId.zone("cluster2", "region4", "zone4"), NodeId.zone("cluster3", "region3", "zone1"));
        assert.equal(e.length, 1);
        assert.match(e[0]!, /label="cc4 failover".*ltail="cluster_c1_region_1", lhead="cluster_c2_region_0"/);
        assert.deepEqual(edgeLabels(cc4, "cc3"), []);
        assertHas(cc4, /cc4 region failover/);
    });

    it("names the API server address by its source and never draws the offline placeholder", () => {
        assertHasNot(dot, /kubeconfig\.invalid/);
        const withUrl = {
            ...model,
            clusters: model.clusters.map((c, i) => ({
                ...c,
                apiServerUrl: `https://192.0.2.${i + 1}:6443`,
                apiServerUrlSource: "config" as const,
            })),
        };
        assert.match(nodeLine(meshDot(withUrl, { stack: "dev" }), NodeId.apiServer("cluster2")) ?? "", /https:\/\/192\.0\.2\.2:6443/);
    });
});

describe("topology picture: DOT of the Rancher stack (seed 003)", function () {
    this.timeout(60000);
    const model = stackFileModel("rancher");
    const dot = meshDot(model, { stack: "rancher" });
    const [c1, c2] = ["mcsps-test-k8s-01", "mcsps-test-k8s-02"];

    it("has both clusters, networks, gateways and links, reading through the supplied kubeconfigs", () => {
        for (const net of ["mcsps-test-01", "mcsps-test-02"]) assertHas(dot, new RegExp(`label="network ${net}"`));
        for (const c of [c1, c2]) {
            assertHas(dot, new RegExp(`label="cluster ${c}\\\\ncontext ${c}"`));
            assert.ok(nodeLine(dot, NodeId.eastWest(c)), `${c} east-west gateway`);
            assert.ok(nodeLine(dot, NodeId.ingress(c)), `${c} ingress gateway`);
            assert.match(nodeLine(dot, NodeId.apiServer(c)) ?? "", new RegExp(`kubeconfig in secret\\\\n${c}-kubeconfig`));
        }
        assert.equal(edgeLines(dot, NodeId.istiod(c1), NodeId.apiServer(c2)).length, 1);
        assert.equal(edgeLines(dot, NodeId.istiod(c2), NodeId.apiServer(c1)).length, 1);
        assert.equal(edgeLines(dot, NodeId.eastWest(c1), NodeId.eastWest(c2)).length, 1);
        // No nodes are labelled by this stack: no region boxes.
        assertHasNot(dot, /label="region /);
    });

    it("draws shifting's 10/90 and tls-frontend's 90/10 from the ingress gateways to the helloworld versions", () => {
        assert.match(nodeLine(dot, NodeId.helloworld(c1, "v1")) ?? "", /helloworld v1/);
        assert.match(nodeLine(dot, NodeId.helloworld(c2, "v2")) ?? "", /helloworld v2/);
        for (const c of [c1, c2]) {
            assert.match(edgeLines(dot, NodeId.ingress(c), NodeId.helloworld(c1, "v1")).join("\n"), /label="shifting v1 10%"/);
            assert.match(edgeLines(dot, NodeId.ingress(c), NodeId.helloworld(c2, "v2")).join("\n"), /label="shifting v2 90%"/);
        }
        const host = NodeId.publicHost("helloistio.mcsps.telekomcloud.com");
        assert.match(nodeLine(dot, host) ?? "", /https:\/\/helloistio\.mcsps\.telekomcloud\.com/);
        assert.match(edgeLines(dot, host, NodeId.ingress(c1))[0] ?? "", /label="HTTPS 443"/);
        assert.equal(edgeLines(dot, host, NodeId.ingress(c2)).length, 0);
        assert.match(edgeLines(dot, NodeId.ingress(c1), NodeId.helloworld(c1, "v1")).join("\n"), /label="tls-frontend v1 90%"/);
        assert.match(edgeLines(dot, NodeId.ingress(c1), NodeId.helloworld(c2, "v2")).join("\n"), /label="tls-frontend v2 10%"/);
        assert.match(nodeLine(dot, NodeId.note(c1)) ?? "", /rancher: cluster c-f7r9g, project istio, LimitRange/);
    });
});

describe("topology picture: DOT text", () => {
    it("quotes any label text: quotes, backslashes (no Graphviz escapes) and line breaks", () => {
        assert.equal(quote('a"b\\N\nc'), '"a\\"b\\\\N\\nc"');
    });

    it("a context with quotes, backslashes and braces renders as written", async function () {
        this.timeout(60000);
        const model = stackFileModel("dev");
        const odd = 'arn:aws:eks:"x"\\N}{;[]';
        const dot = meshDot({ ...model, clusters: model.clusters.map((c, i) => (i === 0 ? { ...c, context: odd } : c)) }, { stack: "dev" });
        const { svg, warnings } = await renderSvg(dot);
        assert.deepEqual(warnings, []);
        assert.ok(svgTexts(svg).includes(`context ${odd}`), "the context is shown as written");
    });

    it("a locality no node has and a version no cluster runs get nodes of their own", () => {
        const model = stackFileModel("dev");
        const s = model.scenarios!;
        const cc3 = { ...s.cc3!, distribute: [{ from: "region2/zone1/*", to: { "region9/*": 100 } }] };
        const dot = meshDot({ ...model, scenarios: { ...s, cc3 } }, { stack: "dev" });
        assert.match(nodeLine(dot, NodeId.noSuchLocality("region9/*")) ?? "", /region9\/\*\\n\(no node labelled with it\)/);
        assert.equal(edgeLines(dot, NodeId.zone("cluster2", "region2", "zone1"), NodeId.noSuchLocality("region9/*")).length, 1);
        const rancher = stackFileModel("rancher");
        const noV2 = {
            ...rancher.scenarios!,
            helloworld: { ...rancher.scenarios!.helloworld!, versions: { "mcsps-test-k8s-01": ["v1" as const] } },
        };
        const dot2 = meshDot({ ...rancher, scenarios: noV2 }, { stack: "rancher" });
        assertHas(dot2, /helloworld v2\\n\(no cluster runs it\)/);
        // One such node, that both clusters' shifting routes (and tls-frontend's) lead to.
        assert.equal(dot2.match(/\(no cluster runs it\)/g)?.length, 1);
        const intoMissing = dot2.split("\n").filter((l) => l.includes(` -> ${quote(NodeId.missingHelloworld("v2"))} [`));
        assert.equal(intoMissing.length, 3);
    });
});

describe("topology picture: the stack file, read offline", () => {
    it("hands top-level values over as the Pulumi CLI does: scalars as written, lists and maps as JSON, secure values left out", () => {
        const { all, encrypted } = stackFileConfigMap(
            "config:\n  p:tag: 1.10\n  p:n: 7\n  p:list: [a, 1]\n  p:secret:\n    secure: v1:abc\n",
        );
        assert.deepEqual(all, { "p:tag": "1.10", "p:n": "7", "p:list": '["a",1]' });
        assert.deepEqual(encrypted, ["p:secret"]);
    });

    it("names the missing stack file and the stacks there are", () => {
        assert.throws(() => stackFileModel("nosuch"), /no stack file .*Pulumi\.nosuch\.yaml: pass --stack with one of .*dev.*rancher/);
    });

    it("reports invalid and unknown config keys as the program does", () => {
        const dir = stackDir(
            "bad",
            "config:\n  istio-multicluster:meshID: m\n  istio-multicluster:clustrs: []\n  istio-multicluster:clusters:\n    - { name: Cluster_1, context: a, network: n1 }\n",
        );
        assert.throws(
            () => stackFileModel("bad", dir),
            (e: Error) => /clusters\[0\]\.name/.test(e.message) && /istio-multicluster:clustrs: unknown config key/.test(e.message),
        );
    });

    it("refuses an encrypted mesh layout, naming the key", () => {
        const dir = stackDir("enc", "config:\n  istio-multicluster:meshID: m\n  istio-multicluster:clusters:\n    secure: v1:abc\n");
        assert.throws(() => stackFileModel("enc", dir), /istio-multicluster:clusters is encrypted/);
    });
});

describe("topology picture: SVG", function () {
    this.timeout(120000);

    for (const stack of ["dev", "rancher"]) {
        it(`${stack}: Graphviz lays it out without warnings and its text names every cluster and network`, async () => {
            const model = stackFileModel(stack);
            const { svg, warnings } = await stackSvg(stack);
            assert.deepEqual(warnings, []);
            const texts = svgTexts(svg);
            for (const c of model.clusters) {
                assert.ok(texts.includes(`cluster ${c.name}`), `cluster ${c.name} in the SVG text`);
                assert.ok(texts.includes(`network ${c.network}`), `network ${c.network} in the SVG text`);
            }
        });

        it(`${stack}: docs/img/topology-${stack}.svg is what the stack file gives (regenerate: npm run topology -- --stack ${stack})`, async () => {
            const committed = fs.readFileSync(defaultOutFile(stack), "utf8");
            assert.ok(
                committed === (await stackSvg(stack)).svg,
                `docs/img/topology-${stack}.svg is stale: run npm run topology -- --stack ${stack}`,
            );
        });
    }

    it("the CLI takes -s and --out, and writes what stackSvg gives", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "topology-cli-")), "sub", "mesh.svg");
        const logged: string[] = [];
        assert.equal(await runTopology(["-s", "rancher", `--out=${out}`], (l) => logged.push(l)), 0);
        assert.match(logged.join("\n"), /topology: wrote .*mesh\.svg \(stack rancher\)/);
        assert.equal(fs.readFileSync(out, "utf8"), (await stackSvg("rancher")).svg);
        await assert.rejects(
            runTopology(["--stak", "dev"], () => {}),
            /unknown option --stak/,
        );
        const help: string[] = [];
        assert.equal(await runTopology(["--help"], (l) => help.push(l)), 0);
        assert.match(help.join("\n"), /usage: npm run topology -- \[--stack NAME \| -s NAME\] \[--out FILE\]/);
    });
});
