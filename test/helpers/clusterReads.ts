/** Turning the program's cluster reads back on for one test (the mocks turn them off for every other one). */
import { SKIP_CLUSTER_READS_ENV } from "../../components/clusterClient";

/** Runs `f` with program-time cluster reads on, restoring the setting afterwards. */
export async function withClusterReads<T>(f: () => Promise<T>): Promise<T> {
    const saved = process.env[SKIP_CLUSTER_READS_ENV];
    delete process.env[SKIP_CLUSTER_READS_ENV];
    try {
        return await f();
    } finally {
        if (saved === undefined) delete process.env[SKIP_CLUSTER_READS_ENV];
        else process.env[SKIP_CLUSTER_READS_ENV] = saved;
    }
}
