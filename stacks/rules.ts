import { checkTrustedCidr } from "../lib/cidr";
import { SEARCH_SERVER_MIN_MEMORY_MIB } from "../lib/ec2Search";
import { searchPodResources } from "../lib/elasticsearch";
import { instanceCapacity } from "../lib/instanceTypes";
import { API_MIN, API_WORKER_MIB, apiPodBudget, workerRequests } from "../lib/manifests";
import { nodeModel, total } from "../lib/nodeModel";
import { migrationProblem, RELEASES, TracardiRelease } from "../lib/releases";
import type { ConfigProblem } from "./errors";
import { dnsSchema, elasticsearchSchema } from "./schema";

type Plain = Record<string, unknown>;

/** The release whose workers need the most memory: what an unknown version is sized for. */
const workerMemory = (release: TracardiRelease) => total(workerRequests(release)).memoryMiB;
const HUNGRIEST_RELEASE = Object.values(RELEASES).reduce((a, b) => (workerMemory(b) > workerMemory(a) ? b : a));

/**
 * Rules that relate several keys, or depend on the profile. They read the merged input
 * defensively, so they report alongside schema errors instead of after them: a rule whose
 * inputs are malformed stays silent and the schema names the malformed key.
 */
export function crossFieldProblems(input: Plain): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const get = (path: string): unknown =>
        path.split(".").reduce<unknown>((node, key) =>
            (typeof node === "object" && node !== null ? (node as Plain)[key] : undefined), input);
    const int = (path: string): number | undefined => {
        const value = get(path);
        return Number.isInteger(value) ? (value as number) : undefined;
    };
    const str = (path: string): string | undefined => {
        const value = get(path);
        return typeof value === "string" ? value : undefined;
    };
    const problem = (key: string, reason: string, allowed: string) =>
        problems.push({ key, reason, given: get(key), allowed });

    const cidrs = get("trustedCidrs");
    if (Array.isArray(cidrs)) {
        cidrs.forEach((cidr, i) => {
            // The schema reports entries that are not strings.
            const check = typeof cidr === "string" ? checkTrustedCidr(cidr) : { ok: true as const };
            if (!check.ok) {
                problems.push({
                    key: `trustedCidrs.${i}`, reason: check.reason, given: cidr,
                    allowed: "IPv4 or IPv6 networks smaller than the whole Internet",
                });
            }
        });
    }

    const zone = str("dns.zone");
    const isHostname = (name: string | undefined): name is string => dnsSchema.shape.zone.safeParse(name).success;
    const seen = new Map<string, string>();
    for (const key of ["publicApiHost", "internalApiHost", "guiHost"]) {
        const host = str(`dns.${key}`);
        if (!isHostname(host) || !isHostname(zone)) {
            continue;
        }
        if (host !== zone && !host.endsWith(`.${zone}`)) {
            problem(`dns.${key}`, `lies outside the zone ${zone}`, `a name ending in .${zone}`);
        }
        const other = seen.get(host);
        if (other) {
            problem(`dns.${key}`, `is already used by dns.${other}`, "a host name of its own for each cluster");
        }
        seen.set(host, key);
    }

    for (const tierKey of ["publicApi", "internalApi"]) {
        const instanceType = str(`${tierKey}.instanceType`) ?? "";
        const node = nodeModel(instanceType);
        const workers = int(`${tierKey}.workers`);
        if (!node || workers === undefined) {
            continue;
        }
        // The background workers run beside the GUI-facing API: internalApi, or publicApi alone in
        // the minimal profile (production requires internalApi, and says so).
        const hostsWorkers = tierKey === "internalApi" || (get("internalApi") === undefined && get("profile") === "minimal");
        // An unknown version is the schema's to report; size for the hungriest release's workers.
        const release = RELEASES[str("version") ?? ""] ?? HUNGRIEST_RELEASE;
        const beside = hostsWorkers ? workerRequests(release) : [];
        let memoryMiB: number;
        try {
            memoryMiB = apiPodBudget(node, beside).memoryMiB;
        } catch {
            const needs = API_MIN.memoryMiB + total(beside).memoryMiB;
            problem(`${tierKey}.instanceType`, `is too small for a Tracardi API server: it leaves pods ${node.free.memoryMiB} MiB and ` +
                `${node.free.cpuMillis}m of CPU, and the API${beside.length ? " with the release's workers" : ""} needs ${needs} MiB and ` +
                `${API_MIN.cpuMillis}m`, "a type with at least 2 vCPU and 4 GiB, such as c6i.large");
            continue;
        }
        const fits = Math.floor(memoryMiB / API_WORKER_MIB);
        if (workers > fits) {
            problem(`${tierKey}.workers`, `needs about ${workers * API_WORKER_MIB} MiB; a ${instanceType} server leaves the API ${memoryMiB} MiB`,
                `at most ${fits}, or a larger ${tierKey}.instanceType`);
        }
    }

    const provider = str("elasticsearch.provider");
    const nodes = int("elasticsearch.nodes");
    // The masters of an external cluster are its operator's business.
    if (nodes !== undefined && nodes % 2 === 0 && provider !== "external") {
        problem("elasticsearch.nodes", "is even: an even number of masters tolerates no more failures than one node fewer",
            "an odd number such as 3");
    }
    const release = RELEASES[str("version") ?? ""];
    const esVersion = str("elasticsearch.version");
    if (release && esVersion && elasticsearchSchema.shape.version.safeParse(esVersion).success) {
        const [major, minor] = esVersion.split(".").map(Number);
        const [maxMajor, maxMinor] = release.maxElasticsearch.split(".").map(Number);
        if (major > maxMajor || (major === maxMajor && minor > maxMinor)) {
            problem("elasticsearch.version", `is newer than Tracardi ${release.tag} supports`,
                `Elasticsearch 7.x up to ${release.maxElasticsearch}.x`);
        } else if ((provider === "eck" || provider === "ec2") && (major < 8 || (major === 8 && minor < 4))) {
            problem("elasticsearch.version", `is older than 8.4: ${provider === "eck" ? "ECK 3.5 runs Elasticsearch 8 and later, and " : ""}the alarm on failed ` +
                "snapshots (slm.health.failed_snapshot_warn_threshold) needs 8.4", `8.4.0 up to ${release.maxElasticsearch}.x`);
        }
    }
    problems.push(...searchProviderProblems(provider, get, str));
    if (str("compute") === "vm" && provider === "eck") {
        problem("elasticsearch.provider", "is eck, which runs Elasticsearch on Kubernetes: compute vm has no Kubernetes",
            "ec2 (Elasticsearch on servers of its own), external (an Elastic Cloud deployment, or a cluster of your own), or compute eks");
    }
    if (str("compute") === "eks" && provider === "ec2") {
        problem("elasticsearch.provider", "is ec2, which runs Elasticsearch on servers beside the cluster: an EKS stack runs it in the cluster with ECK",
            "eck or external, or compute vm");
    }
    const zones = int("network.availabilityZones");
    if (provider === "ec2" && nodes !== undefined && zones !== undefined && nodes > zones) {
        problem("elasticsearch.nodes", `puts ${nodes} search nodes in ${zones} zones; with ec2 each node has a zone of its own (its volume lives there)`,
            `at most network.availabilityZones (${zones})`);
    }

    const upgradeFrom = str("upgradeFrom");
    const targetVersion = str("version");
    if (upgradeFrom && targetVersion) {
        const reason = migrationProblem(upgradeFrom, targetVersion);
        if (reason) {
            problem("upgradeFrom", reason, "remove it: upgradeFrom declares a migration between database versions only");
        }
    }

    if (get("profile") === "production") {
        const atLeast = (path: string, min: number, why: string) => {
            const value = int(path);
            if (value !== undefined && value < min) {
                problem(path, `is below the production minimum: ${why}`, `>= ${min} in the production profile`);
            }
        };
        atLeast("publicApi.instances", 3, "the Internet-facing cluster needs three");
        if (get("internalApi") === undefined) {
            problem("internalApi", "is required: production runs a separate GUI-facing API cluster",
                "{ instances, instanceType, workers }");
        }
        atLeast("internalApi.instances", 2, "the GUI-facing cluster needs two");
        const publicCount = int("publicApi.instances");
        const internalCount = int("internalApi.instances");
        if (publicCount !== undefined && internalCount !== undefined && publicCount + internalCount < 5) {
            problem("internalApi.instances", `makes ${publicCount + internalCount} API instances in all with publicApi.instances; production needs five`,
                "publicApi.instances + internalApi.instances >= 5");
        }
        if (get("dns.internalApiHost") === undefined && zone !== undefined) {
            problem("dns.internalApiHost", "is required: the GUI-facing API has its own host name", `a name ending in .${zone}`);
        }
        atLeast("gui.instances", 2, "the GUI cluster needs two");
        atLeast("elasticsearch.nodes", 3, "search needs three nodes to survive the loss of one");
        atLeast("loadBalancers.perCluster", 2, "one load balancer is a single point of failure");
        atLeast("network.availabilityZones", 3, "three search nodes need three zones to survive a zone loss");
        if (str("network.natGateways") === "single") {
            problem("network.natGateways", "is not allowed in production: a single NAT gateway cuts every zone off with its own",
                "perZone");
        }
    } else if (get("profile") === "minimal") {
        const apis = int("publicApi.instances");
        if (apis !== undefined && apis < 2) {
            problem("publicApi.instances", "is below the minimal profile's two instances: one server is a single point of failure", ">= 2");
        }
        if (get("internalApi") !== undefined) {
            problem("internalApi", "is not used: the minimal profile runs one API cluster (publicApi) for collection and the GUI",
                "remove the key, or use the production profile");
        }
        if (get("dns.internalApiHost") !== undefined) {
            problem("dns.internalApiHost", "is not used: in the minimal profile the GUI talks to dns.publicApiHost",
                "remove the key, or use the production profile");
        }
    }
    return problems;
}

const EXTERNAL_ONLY = ["hosts", "cloudId", "username"];

/** Keys that belong to one provider only, and the servers ECK needs. */
function searchProviderProblems(provider: string | undefined, get: (path: string) => unknown,
    str: (path: string) => string | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const problem = (key: string, reason: string, allowed: string) => problems.push({ key, reason, given: get(key), allowed });
    if (provider === "eck" || provider === "ec2") {
        for (const key of EXTERNAL_ONLY.filter((k) => get(`elasticsearch.${k}`) !== undefined)) {
            problem(`elasticsearch.${key}`, `is only read with elasticsearch.provider external: the API reaches the ${provider === "eck" ? "ECK cluster through its own service" : "search servers through their load balancer"}`,
                "remove it, or set elasticsearch.provider to external");
        }
    }
    if (provider === "ec2") {
        const memoryMiB = instanceCapacity(str("elasticsearch.instanceType") ?? "")?.memoryMiB;
        if (memoryMiB !== undefined && memoryMiB < SEARCH_SERVER_MIN_MEMORY_MIB) {
            problem("elasticsearch.instanceType", `has ${memoryMiB} MiB: half of it would be Elasticsearch's heap, below 2 GiB`,
                "at least 4 GiB of memory; a memory-optimised type such as r6i.large");
        }
    }
    if (provider === "eck") {
        const instanceType = str("elasticsearch.instanceType");
        const node = nodeModel(instanceType ?? "");
        if (node) {
            try {
                searchPodResources(node);
            } catch {
                problem("elasticsearch.instanceType", `is too small for an Elasticsearch node: it leaves pods ${node.free.memoryMiB} MiB`,
                    "at least 4 GiB of memory; a memory-optimised type such as r6i.large");
            }
        }
    } else if (provider === "external") {
        const hosts = get("elasticsearch.hosts");
        const hasHosts = Array.isArray(hosts) && hosts.length > 0;
        const hasCloudId = get("elasticsearch.cloudId") !== undefined;
        if (!hasHosts && !hasCloudId) {
            problem("elasticsearch.hosts", "is required with elasticsearch.provider external, unless elasticsearch.cloudId is given",
                "https URLs with a port, such as [\"https://search.example.com:9243\"]");
        } else if (hasHosts && hasCloudId) {
            problem("elasticsearch.cloudId", "cannot be combined with elasticsearch.hosts: Tracardi would connect to the cloud id only",
                "one of elasticsearch.hosts and elasticsearch.cloudId");
        }
        if (get("elasticsearch.username") === undefined) {
            problem("elasticsearch.username", "is required with elasticsearch.provider external",
                "the user Tracardi connects as; its password goes in the secret tracardi:elasticsearchPassword");
        }
    }
    return problems;
}
