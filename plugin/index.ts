/**
 * Entry point of the component package (PulumiPlugin.yaml): serves IstioMesh, SharedRootCA, MeshCluster,
 * EastWestGateway and RemoteSecretLink to every Pulumi language.
 *
 * It is Pulumi's own component provider (schema inferred from components.ts, the package.json `exports` entry),
 * started here rather than by `@pulumi/pulumi/cmd/run-plugin` so that the inferred schema can be corrected
 * first (schemaFixes.ts). Package name and version come from package.json.
 */
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as components from "./components";
import { withIdentityGuardDefault } from "./componentDefaults";
import { fixProviderReferences } from "./schemaFixes";
import type { ComponentResourceOptions, Inputs } from "@pulumi/pulumi";
import type { ConstructResult } from "@pulumi/pulumi/provider";

/** The component provider with the corrected schema. */
class MeshComponentProvider extends ComponentProvider {
    constructor(dirname: string = __dirname) {
        super({ name: "istio-multicluster", dirname, components: Object.values(components) });
    }

    /**
     * Constructs a component for a program in another language. The root CA's identity guard is a Node.js dynamic
     * resource, which the engine can serve only where `@pulumi/pulumi` resolves from the program's directory, so
     * it defaults to off here (SharedRootCAArgs.identityGuard; an explicit value is kept).
     */
    async construct(name: string, type: string, inputs: Inputs, options: ComponentResourceOptions): Promise<ConstructResult> {
        return super.construct(name, type, withIdentityGuardDefault(type, inputs), options);
    }

    /** The inferred schema, corrected (schemaFixes.ts). */
    async getSchema(): Promise<string> {
        return fixProviderReferences(await super.getSchema());
    }
}

/** Started by run-plugin (it calls the function a plugin's main exports): serve until the engine disconnects. */
function serve(): Promise<void> {
    return main(new MeshComponentProvider(path.resolve(__dirname)), process.argv.slice(2));
}
export = serve;
