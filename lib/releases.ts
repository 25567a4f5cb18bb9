/**
 * Tracardi open-source releases this program knows how to run. Pinned tags only: a floating tag
 * would let two `pulumi up` runs deploy different code.
 */
export interface TracardiRelease {
    /** Image tag of tracardi/tracardi-api and tracardi/tracardi-gui. */
    tag: string;
    /** From 0.9 the API refuses to start without MySQL. */
    needsMysql: boolean;
    /** Newest Elasticsearch minor line the release is documented against. */
    maxElasticsearch: string;
}

export const RELEASES: Record<string, TracardiRelease> = {
    "0.9.0": { tag: "0.9.0", needsMysql: true, maxElasticsearch: "8.11" },
    "1.0.0": { tag: "1.0.0", needsMysql: true, maxElasticsearch: "8.11" },
};

export const DEFAULT_RELEASE = "1.0.0";
