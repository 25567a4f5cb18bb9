import { DEFAULT_RELEASE } from "../lib/releases";
import type { Profile } from "./schema";

/**
 * Defaults per profile. A stack file names only what differs; objects merge key by key.
 * `dns`, `trustedCidrs` and `adminEmail` have no defaults: every customer has their own.
 */
export const PROFILE_DEFAULTS: Record<Profile, Record<string, unknown>> = {
    /** The production guide's topology: 3 + 2 API instances, 2 GUI, 3 search nodes, 3 zones. */
    production: {
        compute: "eks",
        version: DEFAULT_RELEASE,
        publicApi: { instances: 3, instanceType: "c6i.large", workers: 4 },
        internalApi: { instances: 2, instanceType: "m6i.large", workers: 2 },
        gui: { instances: 2, instanceType: "t3.medium" },
        elasticsearch: { provider: "eck", nodes: 3, instanceType: "r6i.large", volumeGiB: 100, version: "8.11.3", queryTimeoutSeconds: 120, snapshotReaderArns: [] },
        redis: { nodeType: "cache.t4g.small" },
        mysql: { instanceClass: "db.t4g.medium", storageGiB: 20, backupRetentionDays: 7, multiAz: true },
        kubernetes: { version: "1.34", systemNodes: 2, systemInstanceType: "t3.medium", adminRoleArns: [] },
        loadBalancers: { perCluster: 2, internal: false, wafRateLimit: 2000, wafLogRetentionDays: 90, widgetPaths: false, consentPaths: false },
        network: { cidr: "10.0.0.0/16", availabilityZones: 3, natGateways: "perZone" },
        deletionProtection: true,
        destinations: true,
        tags: {},
    },
    /** The guide's small-traffic answer: one API cluster of two serving collection and the GUI. */
    minimal: {
        compute: "eks",
        version: DEFAULT_RELEASE,
        publicApi: { instances: 2, instanceType: "m6i.large", workers: 2 },
        gui: { instances: 1, instanceType: "t3.medium" },
        elasticsearch: { provider: "eck", nodes: 1, instanceType: "r6i.large", volumeGiB: 50, version: "8.11.3", queryTimeoutSeconds: 120, snapshotReaderArns: [] },
        redis: { nodeType: "cache.t4g.micro" },
        mysql: { instanceClass: "db.t4g.small", storageGiB: 20, backupRetentionDays: 7, multiAz: false },
        kubernetes: { version: "1.34", systemNodes: 1, systemInstanceType: "t3.medium", adminRoleArns: [] },
        loadBalancers: { perCluster: 1, internal: false, wafRateLimit: 2000, wafLogRetentionDays: 90, widgetPaths: false, consentPaths: false },
        network: { cidr: "10.0.0.0/16", availabilityZones: 2, natGateways: "single" },
        deletionProtection: true,
        destinations: true,
        tags: {},
    },
};
