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
import { fixProviderReferences } from "./schemaFixes";

/** The component provider with the corrected schema. */
class MeshComponentProvider extends ComponentProvider {
    constructor(dirname: string = __dirname) {
        super({ name: "istio-multicluster", dirname, components: Object.values(components) });
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
