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
    /**
     * The database version its index names carry (tracardi/domain/version.py `db_version`): a
     * release of another one starts on new, empty indices, and data follows only through
     * Tracardi's migration.
     */
    databaseVersion: string;
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

function release(tag: string, apmTag: string, databaseVersion: string): TracardiRelease {
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
        databaseVersion,
    };
}

// 0.9.0 set db_version '09x' (Tracardi/tracardi 0.9.0-dev, commit "Version 0.9.0"); the 1.0.x and
// 1.1.x sources found keep the 0.9 model unchanged ('09x'), so 0.9.0 and 1.0.0 share their indices.
export const RELEASES: Record<string, TracardiRelease> = {
    "0.9.0": release("0.9.0", "0.9.0.4", "09x"),
    "1.0.0": release("1.0.0", "1.0.0", "09x"),
};

/**
 * What is wrong with declaring a migration from `from` to `to`, or undefined when it is a real one.
 * The releases are a parameter so tests can give releases of other database versions.
 */
export function migrationProblem(from: string, to: string, releases: Record<string, TracardiRelease> = RELEASES): string | undefined {
    const [source, target] = [releases[from], releases[to]];
    if (!source || !target) {
        return undefined; // the schema names an unknown release
    }
    if (source.databaseVersion === target.databaseVersion) {
        return `uses database ${source.databaseVersion}, as ${to} does: there is nothing to migrate`;
    }
    return undefined;
}

export const DEFAULT_RELEASE = "1.0.0";
