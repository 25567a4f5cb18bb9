/**
 * Tracardi open-source releases this program knows how to run. Pinned tags only: a floating tag
 * would let two `pulumi up` runs deploy different code.
 */
export interface TracardiRelease {
    tag: string;
    apiImage: string;
    guiImage: string;
    /** Background workers the release needs beside the API (Tracardi's open-source docs). */
    workers: WorkerImage[];
    /** From 0.9 the API refuses to start without MySQL. */
    needsMysql: boolean;
    /** Newest Elasticsearch minor line the release is documented against. */
    maxElasticsearch: string;
}

export interface WorkerImage {
    name: string;
    image: string;
    /** Worker-specific variables on top of the shared data-store environment. */
    env: Record<string, string>;
    /**
     * Memory is requested as much as the limit, so the GUI-facing API servers that host the
     * workers keep it for them; CPU may burst to the limit.
     */
    resources: { cpuMillis: number; cpuLimitMillis: number; memoryMiB: number };
}

function release(tag: string, apmTag: string): TracardiRelease {
    return {
        tag,
        apiImage: `tracardi/tracardi-api:${tag}`,
        guiImage: `tracardi/tracardi-gui:${tag}`,
        // Memory as Tracardi's own chart limits them (Tracardi/argocd, 1.0.x).
        workers: [
            // Runs data migrations and imports that the GUI schedules.
            { name: "update-worker", image: `tracardi/update-worker:${tag}`, env: {}, resources: { cpuMillis: 100, cpuLimitMillis: 500, memoryMiB: 500 } },
            // Automatic profile merging; polls every PAUSE seconds and holds sets of duplicate profiles in memory.
            {
                name: "apm", image: `tracardi/apm:${apmTag}`, env: { MODE: "worker", PAUSE: "60" },
                resources: { cpuMillis: 100, cpuLimitMillis: 1000, memoryMiB: 2500 },
            },
        ],
        needsMysql: true,
        maxElasticsearch: "8.11",
    };
}

export const RELEASES: Record<string, TracardiRelease> = {
    "0.9.0": release("0.9.0", "0.9.0.4"),
    "1.0.0": release("1.0.0", "1.0.0"),
};

export const DEFAULT_RELEASE = "1.0.0";
