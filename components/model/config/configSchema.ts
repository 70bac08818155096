/**
 * The zod schema of the stack config (namespace `istio-multicluster`), checked at compile time against the
 * documented {@link MeshConfigInput}. Internal to the model: no public module re-exports it, so the package's
 * declarations never mention zod.
 */
import { z } from "zod";
import { apiServerUrlShapeProblem, isTlsServerName } from "../access/apiServer";
import type { MeshConfigInput } from "./configInput";
import { MAX_MESH_CLUSTERS, tooManyClustersMessage } from "./limits";
import { isDns1123Label, isDns1123Subdomain, isLabelValue } from "../istio/names";
import type { AssertTrue, SchemaAgrees } from "./schemaAgreement";
import { scenarioListSchema, scenarioSettingsSchema } from "../scenarios/scenarioSettingsSchema";
import { DEFAULT_ISTIO_VERSION } from "../istio/versions";
import { ROOT_PHASES, RootPhase } from "../ca/rootRotation";

/**
 * A string field that also takes a number or boolean, converted to its string: Pulumi stack config hands
 * the program JSON-parsed values, so `meshID: 1234` or `zone: 1` arrive as numbers. Used for every field
 * that holds a name, version, tag or path.
 */
const text = (what: string) =>
    z.preprocess(
        (v) => ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean" ? String(v) : v),
        z.string({ error: `${what} must be a string` }),
    );

const dnsLabel = (what: string) =>
    text(what).refine(isDns1123Label, {
        error: (iss) =>
            `${what} ${JSON.stringify(iss.input)} is not a DNS-1123 label: use at most 63 lowercase letters, digits ` +
            `and '-', starting and ending with a letter or digit`,
    });

const labelValue = (what: string) =>
    text(what).refine(isLabelValue, {
        error: (iss) =>
            `${what} ${JSON.stringify(iss.input)} is not a valid Kubernetes label value: use 1-63 letters, digits, ` +
            `'-', '_' or '.', starting and ending with a letter or digit`,
    });

/** An API server URL as written in config: https, a host, no userinfo/query/fragment (apiServer.ts). */
const httpsUrl = z.string().superRefine((s, ctx) => {
    const problem = apiServerUrlShapeProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const stringMap = z.record(z.string(), z.string({ error: "values must be strings (quote numbers and booleans)" }));
const valuesMap = z.record(z.string(), z.unknown());
const secretKeyName = text("a config key name").pipe(
    z.string().regex(/^[A-Za-z0-9_.:-]+$/, { error: "must be a Pulumi config key name (letters, digits, '_', '.', ':', '-')" }),
);

const nodeSchema = z.strictObject({
    name: text("node name").refine(isDns1123Subdomain, {
        error: (iss) => `node name ${JSON.stringify(iss.input)} is not a valid Kubernetes node name (DNS-1123 subdomain)`,
    }),
    region: labelValue("region"),
    zone: labelValue("zone"),
    subzone: labelValue("subzone").optional(),
});

const gatewaySchema = z.strictObject({
    enabled: z.boolean().default(true),
    serviceType: z
        .enum(["LoadBalancer", "NodePort", "ClusterIP"], {
            error: "must be LoadBalancer (default), NodePort (sites without a load balancer) or ClusterIP",
        })
        .default("LoadBalancer"),
    serviceAnnotations: stringMap.default({}),
    revision: dnsLabel("revision name").optional(),
});

const clusterSchema = z.strictObject({
    name: dnsLabel("cluster name"),
    network: dnsLabel("network name"),
    context: text("context")
        .pipe(z.string().min(1, { error: "must not be empty" }))
        .optional(),
    kubeconfig: text("kubeconfig")
        .pipe(z.string().min(1, { error: "must not be empty" }))
        .optional(),
    apiServerUrl: httpsUrl.optional(),
    tlsServerName: text("tlsServerName")
        .refine(isTlsServerName, {
            error: (iss) =>
                `${JSON.stringify(iss.input)} is not a DNS name or IP address: use the host name on the API server's certificate (e.g. kubernetes.default.svc)`,
        })
        .optional(),
    nodes: z.array(nodeSchema).default([]),
    eastWestGateway: gatewaySchema.default({ enabled: true, serviceType: "LoadBalancer", serviceAnnotations: {} }),
    remoteKubeconfigSecret: secretKeyName.optional(),
    namespaceMetadata: z.strictObject({ labels: stringMap.default({}), annotations: stringMap.default({}) }).optional(),
    revisionTags: z.record(dnsLabel("revision tag"), dnsLabel("revision name")).optional(),
});

const revisionSchema = z.strictObject({
    version: text("istio.revisions[].version"),
    name: dnsLabel("revision name").optional(),
    chartPath: text("istio.revisions[].chartPath")
        .pipe(z.string().min(1, { error: "must not be empty" }))
        .optional(),
    clusters: z.array(dnsLabel("cluster name")).min(1, { error: "list at least one cluster, or leave clusters out for all" }).optional(),
});

const istioSchema = z.strictObject({
    version: text("istio.version").default(DEFAULT_ISTIO_VERSION),
    hub: text("istio.hub")
        .pipe(
            z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/, {
                error: "must be an image registry path such as gcr.io/istio-release or registry.example.com/istio",
            }),
        )
        .optional(),
    tag: text("istio.tag")
        .pipe(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a valid image tag" }))
        .optional(),
    chartRepo: z
        .string()
        .refine((s) => /^(https?|oci):\/\/[^\s]+$/.test(s), { error: "must be an http(s):// or oci:// URL" })
        .optional(),
    allowInsecureChartRepo: z.boolean().default(false),
    chartPath: text("istio.chartPath")
        .pipe(z.string().min(1, { error: "must not be empty" }))
        .optional(),
    dnsCapture: z.boolean().default(true),
    dnsAutoAllocate: z.boolean().default(true),
    keepCrdsOnDestroy: z.boolean().default(false),
    baseInstall: z.enum(["objects", "release"], { error: 'must be "objects" or "release"' }).default("objects"),
    values: z
        .strictObject({ base: valuesMap.default({}), istiod: valuesMap.default({}), gateway: valuesMap.default({}) })
        .default({ base: {}, istiod: {}, gateway: {} }),
    revisions: z.array(revisionSchema, { error: "must be a list of revisions" }).min(1, { error: "list at least one revision" }).optional(),
    revisionTags: z.record(dnsLabel("revision tag"), dnsLabel("revision name")).optional(),
    eastWestGatewayRevision: dnsLabel("revision name").optional(),
    namespaceRevision: dnsLabel("revision or tag name").optional(),
});

/**
 * A rotation epoch: any string. Pulumi stack config hands `"2"` to the program as the number 2 (values are
 * JSON-parsed), so whole numbers are accepted and kept as their string.
 */
const epoch = z
    .union([z.string().min(1, { error: "must not be empty" }), z.number().int().nonnegative()], {
        error: 'must be a string such as "2"',
    })
    .transform(String);

const positiveHours = z.number().int({ error: "must be a whole number of hours" }).positive({ error: "must be > 0" });

const rootPhase = z.enum(ROOT_PHASES as [RootPhase, ...RootPhase[]], { error: `must be one of ${ROOT_PHASES.join(", ")}` });

const caSchema = z.strictObject({
    keyAlgorithm: z.enum(["RSA", "ECDSA"], { error: "must be RSA (default) or ECDSA" }).default("RSA"),
    rsaBits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { error: "must be 2048, 3072 or 4096" }).default(4096),
    ecdsaCurve: z.enum(["P256", "P384", "P521"], { error: "must be P256, P384 or P521" }).default("P256"),
    rootValidityHours: positiveHours.default(87600),
    intermediateValidityHours: positiveHours.default(8760),
    earlyRenewalHours: z.number().int().nonnegative({ error: "must be >= 0" }).default(720),
    rotationEpoch: epoch.default("1"),
    protectRoot: z.boolean({ error: "must be true or false" }).default(true),
    allowRootReplacement: z.boolean({ error: "must be true or false" }).default(false),
    existingRootCertSecret: secretKeyName.optional(),
    existingRootKeySecret: secretKeyName.optional(),
    multiRoot: z.boolean({ error: "must be true or false" }).default(false),
    rootGeneration: z.number().int({ error: "must be a whole number" }).min(1, { error: "must be >= 1" }).default(1),
    rootRotation: z
        .strictObject({
            phase: rootPhase,
            clusters: z.record(z.string(), rootPhase, { error: "must map cluster names to phases" }).default({}),
            nextRootCertSecret: secretKeyName.optional(),
            nextRootKeySecret: secretKeyName.optional(),
        })
        .optional(),
});

/** Shape of the stack config this project reads (namespace `istio-multicluster`). */
export const meshConfigSchema = z.strictObject({
    meshID: dnsLabel("meshID"),
    clusters: z
        .array(clusterSchema, { error: "must be a list of clusters" })
        .min(1, { error: "list at least one cluster" })
        .max(MAX_MESH_CLUSTERS, { error: (iss) => tooManyClustersMessage((iss.input as unknown[]).length) }),
    istio: istioSchema.default(istioSchema.parse({})),
    ca: caSchema.default(caSchema.parse({})),
    allowLoopbackApiServer: z.boolean().default(false),
    adoptExistingRemoteSecrets: z.boolean({ error: "must be true or false" }).default(false),
    remoteSecretLayout: z.enum(["perLink", "perReader"], { error: 'must be "perLink" or "perReader"' }).default("perLink"),
    tokenRotationEpoch: epoch.default("1"),
    keepPreviousToken: z.boolean({ error: "must be true or false" }).default(true),
    scenarios: scenarioListSchema.default([]),
    scenarioSettings: scenarioSettingsSchema.default({}),
});

/** Compile-time proof that {@link MeshConfigInput} and {@link meshConfigSchema} agree. */
export type MeshConfigSchemaAgrees = AssertTrue<
    SchemaAgrees<MeshConfigInput, z.input<typeof meshConfigSchema>, z.output<typeof meshConfigSchema>>
>;
