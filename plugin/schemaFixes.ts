/**
 * Corrections to the schema Pulumi infers from the TypeScript types (@pulumi/pulumi 3.248's analyzer).
 *
 * A `k8s.Provider` arg is inferred as a reference to `#/resources/kubernetes` (the class's `__pulumiType`), which
 * names no resource: the schema fails to bind ("resource type kubernetes not found in package kubernetes") and
 * no SDK can be generated. A provider's schema reference is `#/provider`.
 */
const PROVIDER_REF = /("\$ref"\s*:\s*"\/kubernetes\/v[^"/]+\/schema\.json#)\/resources\/kubernetes"/g;

/** `schema` (JSON text) with every kubernetes Provider reference pointing at the package's provider. */
export function fixProviderReferences(schema: string): string {
    return schema.replace(PROVIDER_REF, '$1/provider"');
}
