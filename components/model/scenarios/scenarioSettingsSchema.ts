/**
 * The zod schema of `scenarios` / `scenarioSettings` as written in stack config, checked at compile time against
 * the documented {@link ScenarioSettingsInput}. Internal to the model: no public module re-exports it, so the
 * package's declarations never mention zod.
 */
import { z } from "zod";
import { isDns1123Subdomain } from "../istio/names";
import type { AssertTrue, SchemaAgrees } from "../config/schemaAgreement";
import type { ScenarioSettingsInput } from "./scenarioSettings";

const clusterRef = z.string({ error: "must be a cluster name (one of clusters[].name)" }).min(1, { error: "must not be empty" });
const clusterList = z.array(clusterRef, { error: "must be a list of cluster names" }).min(1, { error: "list at least one cluster" });
const duration = z
    .string({ error: "must be a duration string such as 10s" })
    .regex(/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/, { error: "must be a duration such as 1s, 30s, 1m or 500ms" });
const hostName = z.string().refine((s) => isDns1123Subdomain(s) || /^\*\.[a-z0-9.-]+$/.test(s), {
    error: (iss) => `${JSON.stringify(iss.input)} is not a DNS host name`,
});
const objectName = z.string().refine(isDns1123Subdomain, {
    error: (iss) => `${JSON.stringify(iss.input)} is not a valid Kubernetes object name (DNS-1123 subdomain)`,
});
const image = z.string().regex(/^[^\s]+$/, { error: "must be an image reference" });

const outlierSchema = z.strictObject({
    consecutive5xxErrors: z.number().int({ error: "must be a whole number" }).nonnegative({ error: "must be >= 0" }).optional(),
    consecutiveGatewayErrors: z.number().int({ error: "must be a whole number" }).nonnegative({ error: "must be >= 0" }).optional(),
    interval: duration.optional(),
    baseEjectionTime: duration.optional(),
    maxEjectionPercent: z.number().int().min(0).max(100, { error: "must be 0-100" }).optional(),
});

const weightsSchema = z.strictObject({
    v1: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0).max(100, { error: "must be 0-100" }),
    v2: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0).max(100, { error: "must be 0-100" }),
});

/**
 * `scenarioSettings` — per-scenario overrides; every field defaults from the seeds, except the stack's own:
 * tls-frontend's host, email and webhook, and dnsp2's databases.
 */
export const scenarioSettingsSchema = z.strictObject({
    samples: z
        .strictObject({
            clusters: clusterList.optional(),
            helloworldImage: image.optional(),
            sleepImage: image.optional(),
        })
        .optional(),
    cc1: z.strictObject({ cluster: clusterRef.optional() }).optional(),
    cc2: z
        .strictObject({
            cluster: clusterRef.optional(),
            outlierDetection: outlierSchema.optional(),
        })
        .optional(),
    cc3: z
        .strictObject({
            cluster: clusterRef.optional(),
            distribute: z
                .array(
                    z.strictObject({
                        from: z.string({ error: "must be a locality such as region2/zone1/*" }),
                        to: z.record(z.string(), z.number({ error: "weights must be numbers" })),
                    }),
                    { error: "must be a list of {from, to} rules" },
                )
                .optional(),
            outlierDetection: outlierSchema.optional(),
        })
        .optional(),
    cc4: z
        .strictObject({
            cluster: clusterRef.optional(),
            failover: z
                .array(z.strictObject({ from: z.string({ error: "must be a region" }), to: z.string({ error: "must be a region" }) }), {
                    error: "must be a list of {from, to} regions",
                })
                .optional(),
            outlierDetection: outlierSchema.optional(),
            maxRequestsPerConnection: z.number().int().positive({ error: "must be > 0" }).optional(),
        })
        .optional(),
    dnsp1: z.strictObject({ cluster: clusterRef.optional(), hosts: z.array(hostName).min(1).optional() }).optional(),
    dnsp2: z
        .strictObject({
            cluster: clusterRef.optional(),
            databases: z
                .array(z.strictObject({ name: objectName, host: hostName }))
                .min(1)
                .optional(),
            port: z.number().int().min(1).max(65535, { error: "must be a port number 1-65535" }).optional(),
        })
        .optional(),
    helloworld: z
        .strictObject({
            versions: z
                .record(z.string(), z.array(z.enum(["v1", "v2"], { error: "must be v1 or v2" })).min(1, { error: "list v1 and/or v2" }))
                .optional(),
            image: image.optional(),
        })
        .optional(),
    shifting: z.strictObject({ clusters: clusterList.optional(), weights: weightsSchema.optional() }).optional(),
    "tls-frontend": z
        .strictObject({
            clusters: clusterList.optional(),
            host: hostName.optional(),
            credentialName: objectName.optional(),
            ingressAddress: z.string().min(1).optional(),
            weights: weightsSchema.optional(),
            email: z
                .string()
                .regex(/^[^@\s]+@[^@\s]+$/, { error: "must be an e-mail address" })
                .optional(),
            acmeServer: z
                .string()
                .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
                .optional(),
            issuerName: objectName.optional(),
            webhook: z.strictObject({ groupName: z.string().min(1), solverName: z.string().min(1) }).optional(),
            rfc2136: z
                .strictObject({
                    nameserver: z.string().regex(/^[^\s:/]+(:[0-9]{1,5})?$/, { error: "must be host or host:port" }),
                    tsigKeyName: z.string().min(1, { error: "must not be empty" }),
                    tsigAlgorithm: z
                        .enum(["HMACMD5", "HMACSHA1", "HMACSHA256", "HMACSHA512"], {
                            error: "must be HMACMD5, HMACSHA1, HMACSHA256 or HMACSHA512",
                        })
                        .optional(),
                    tsigSecretConfigKey: z.string().regex(/^[A-Za-z0-9_.:-]+$/, { error: "must be a config key name" }),
                    secretNamespace: objectName.optional(),
                })
                .optional(),
            acmeCaBundle: z
                .string()
                .regex(/-----BEGIN CERTIFICATE-----/, { error: "must be a PEM certificate (bundle)" })
                .optional(),
            dnsZone: hostName.optional(),
            dnsRecords: z
                .enum(["dnsEndpoint", "gatewayAnnotation", "none"], { error: "must be dnsEndpoint, gatewayAnnotation or none" })
                .optional(),
            dnsEndpointCluster: clusterRef.optional(),
            recordTtl: z
                .number()
                .int({ error: "must be a whole number of seconds" })
                .min(1)
                .max(86400, { error: "must be 1-86400" })
                .optional(),
        })
        .optional(),
    networkpolicy: z.strictObject({ clusters: clusterList.optional() }).optional(),
    rancher: z
        .strictObject({
            clusterIds: z.record(z.string(), z.string().regex(/^[a-z0-9-]+$/, { error: "must be a Rancher cluster id such as c-f7r9g" })),
            management: z
                .strictObject({
                    context: z.string().min(1, { error: "must not be empty" }),
                    kubeconfig: z.string().min(1).optional(),
                })
                .optional(),
            projectName: objectName.optional(),
            limitRange: z.boolean().optional(),
        })
        .optional(),
});

/** `scenarios` — the selected scenario ids. */
export const scenarioListSchema = z.array(z.string({ error: "scenario ids are strings" }), { error: "must be a list of scenario ids" });

/** Compile-time proof that {@link ScenarioSettingsInput} and {@link scenarioSettingsSchema} agree. */
export type ScenarioSettingsSchemaAgrees = AssertTrue<
    SchemaAgrees<ScenarioSettingsInput, z.input<typeof scenarioSettingsSchema>, z.output<typeof scenarioSettingsSchema>>
>;
