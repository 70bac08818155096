/**
 * Host processes of the proving ground (host istiods, the TLS parts): whether one lives, and stopping a set of them
 * the way a kubelet stops a pod (SIGTERM to its process group, SIGKILL after a grace period).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";

/** True while `pid` runs (a zombie, exited but not reaped, counts as gone). */
export function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    let stat = "";
    try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        // no /proc entry to read: signal 0 was delivered, so it runs
    }
    return !/^\d+ \(.*\) Z/.test(stat);
}

/** SIGTERM to each process group (or the process, when it leads none), SIGKILL after `graceMs` to those left. */
export function stopProcessGroups(pids: number[], graceMs = 10_000): void {
    const signal = (pid: number, sig: NodeJS.Signals) => {
        try {
            process.kill(-pid, sig);
        } catch {
            try {
                process.kill(pid, sig);
            } catch {
                // gone already
            }
        }
    };
    for (const pid of pids) signal(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (pids.some(alive) && Date.now() < deadline) spawnSync("sleep", ["0.2"]);
    for (const pid of pids.filter(alive)) signal(pid, "SIGKILL");
}
