import { strict as assert } from "assert";
import { MAX_MESH_CLUSTERS, MeshConfigError, parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

describe("scale ceiling", () => {
    it(`accepts ${MAX_MESH_CLUSTERS} clusters`, () => {
        const model = parseMeshConfig(clustersConfig(MAX_MESH_CLUSTERS));
        assert.equal(model.links.length, MAX_MESH_CLUSTERS * (MAX_MESH_CLUSTERS - 1));
    });

    it(`refuses ${MAX_MESH_CLUSTERS + 1} clusters on the clusters key, saying the limit and what to do`, () => {
        assert.throws(
            () => parseMeshConfig(clustersConfig(MAX_MESH_CLUSTERS + 1)),
            (e: unknown) =>
                e instanceof MeshConfigError &&
                e.issues.some(
                    (i) =>
                        i.path === "clusters" &&
                        new RegExp(
                            `${MAX_MESH_CLUSTERS + 1} clusters; the largest mesh supported is ${MAX_MESH_CLUSTERS}, the largest measured`,
                        ).test(i.message) &&
                        /several meshes/.test(i.message),
                ),
        );
    });

    it("200 clusters are refused at once, with nothing registered", async () => {
        const mocks = new RecordingMocks();
        await assert.rejects(runProgram(mocks, clustersConfig(200)), new RegExp(`largest mesh supported is ${MAX_MESH_CLUSTERS}`));
        assert.equal(mocks.resources.length, 0);
    });
});
