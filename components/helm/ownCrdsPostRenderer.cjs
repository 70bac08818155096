#!/usr/bin/env node
/**
 * A Helm post-renderer (`helm.v3.Release.postrender`): reads the rendered manifests on stdin and writes them back
 * with `helm.sh/resource-policy: keep` removed from every CustomResourceDefinition, so that uninstalling the
 * release (`pulumi destroy`) deletes Istio's CRDs, as the per-object install does by default. MeshCluster passes
 * it unless `keepCrdsOnDestroy` is set. Plain CommonJS: Helm executes this file directly.
 */
"use strict";
const YAML = require("yaml");

/** The manifests with the keep policy dropped from CRDs (an annotations map left empty is removed too). */
function ownCrds(text) {
    const docs = YAML.parseAllDocuments(text);
    const failed = docs.find((d) => d.errors.length);
    if (failed) throw new Error(`the rendered manifests do not parse as YAML: ${failed.errors[0].message}`);
    return docs
        .filter((d) => d.contents !== null)
        .map((d, i) => {
            if (d.get("kind") === "CustomResourceDefinition") {
                d.deleteIn(["metadata", "annotations", "helm.sh/resource-policy"]);
                const annotations = d.getIn(["metadata", "annotations"]);
                if (annotations && YAML.isMap(annotations) && annotations.items.length === 0) d.deleteIn(["metadata", "annotations"]);
            }
            // every document after the first starts with its own `---`
            if (i > 0 && d.directives) d.directives.docStart = true;
            return d.toString({ lineWidth: 0 });
        })
        .join("");
}

if (require.main === module) {
    let input = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (input += chunk));
    process.stdin.on("end", () => {
        try {
            process.stdout.write(ownCrds(input));
        } catch (e) {
            process.stderr.write(`ownCrdsPostRenderer: ${e.message}\n`);
            process.exit(1);
        }
    });
}

module.exports = { ownCrds };
