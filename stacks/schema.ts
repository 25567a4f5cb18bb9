import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { IAM_PRINCIPAL_ARN } from "../lib/iam";
import { instanceCapacity, SUPPORTED_INSTANCE_TYPES } from "../lib/instanceTypes";
import { isLogRetention, LOG_RETENTION_DAYS } from "../lib/logs";
import { RELEASES } from "../lib/releases";
import { endpointProblem, isElasticCloudId } from "../lib/search";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX, parseIpv4Cidr } from "../lib/subnets";

/**
 * The stack configuration under the `tracardi:` namespace: one schema for the types, the
 * validation and (through ./profiles) the defaults. Key names are the public interface.
 */

function pattern(re: RegExp, message: string, allowed: string) {
    return z.string().refine((v) => re.test(v), { message, params: { allowed } });
}

const ec2InstanceType = z.string().refine((v) => instanceCapacity(v) !== undefined, {
    message: "is not an instance type this program can size pods for",
    params: { allowed: SUPPORTED_INSTANCE_TYPES },
});

/** Tracardi publishes its images for amd64 only, so its tiers cannot run on Graviton. */
const amd64InstanceType = ec2InstanceType.refine((v) => !instanceCapacity(v)?.arm64, {
    message: "is a Graviton (arm64) type; Tracardi's images are amd64 only",
    params: { allowed: "an x86 type such as c6i.large or m6i.large" },
});

const hostname = pattern(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "is not a DNS name", "a lower-case DNS name such as track.example.com",
);

export const OPENSEARCH_REASON =
    "Amazon OpenSearch Service cannot host Tracardi: Tracardi's index templates use the `flattened` " +
    "field type, which neither its Elasticsearch 7.10 OSS engine nor OpenSearch has, so index creation fails";

export const ELASTICSEARCH_PROVIDERS = ["eck", "ec2", "external"] as const;

const elasticsearchProvider = z.string()
    .refine((v) => !/open.?search|aws|amazon/i.test(v), {
        message: OPENSEARCH_REASON,
        params: { allowed: ELASTICSEARCH_PROVIDERS.join(", ") },
        abort: true,
    })
    .pipe(z.enum(ELASTICSEARCH_PROVIDERS));

export const apiTierSchema = z.strictObject({
    instances: z.int().min(1).max(50),
    instanceType: amd64InstanceType,
    /** gunicorn workers per instance (WEB_CONCURRENCY): the base image would count the node's CPUs. */
    workers: z.int().min(1).max(32),
});

export const guiTierSchema = z.strictObject({
    instances: z.int().min(1).max(20),
    instanceType: amd64InstanceType,
});

const ENDPOINT_EXAMPLE = "an https URL with a port, such as https://search.example.com:9243";
const elasticsearchEndpoint = z.string().superRefine((value, ctx) => {
    const reason = endpointProblem(value);
    if (reason) {
        ctx.addIssue({ code: "custom", message: reason, params: { allowed: ENDPOINT_EXAMPLE } });
    }
});

export const elasticsearchSchema = z.strictObject({
    provider: elasticsearchProvider,
    /** ECK and ec2: master-eligible data nodes (ec2: one per zone). External: the cluster's data nodes, which decide the replica count. */
    nodes: z.int().min(1).max(15),
    /** ECK and ec2: the search servers, one node each. */
    instanceType: ec2InstanceType,
    /** ECK and ec2: each node's volume. */
    volumeGiB: z.int().min(10).max(16384),
    version: pattern(/^[78]\.\d+\.\d+$/, "is not a pinned Elasticsearch 7 or 8 version", "a version such as 8.11.3"),
    /** External only: the cluster's HTTPS endpoints (or cloudId). */
    hosts: z.array(elasticsearchEndpoint).optional(),
    /** External only: an Elastic Cloud deployment's Cloud ID, instead of hosts. */
    cloudId: z.string().refine(isElasticCloudId, {
        message: "is not an Elastic Cloud ID", params: { allowed: "the Cloud ID of the deployment, <name>:<base64>" },
    }).optional(),
    /**
     * Seconds the GUI-facing API and the workers wait for a search query (ELASTIC_QUERY_TIMEOUT):
     * installation and migrations run long queries.
     */
    queryTimeoutSeconds: z.int().min(12).max(600),
    /** ECK and ec2: IAM roles or users that may read the snapshots: decrypt them through S3, to copy them out or restore elsewhere. */
    snapshotReaderArns: z.array(pattern(IAM_PRINCIPAL_ARN,
        "is not an IAM role or user ARN", "arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>")),
    /** External only: the user Tracardi connects as; its password is the secret elasticsearchPassword. */
    username: pattern(/^[^:\s](?:[^:]{0,505}[^:\s])?$/, "is not an Elasticsearch user name",
        "1 to 507 characters without a colon or surrounding spaces").optional(),
});

export const redisSchema = z.strictObject({
    nodeType: pattern(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "is not an ElastiCache node type", "a node type such as cache.t4g.small"),
});

export const mysqlSchema = z.strictObject({
    instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "is not an RDS instance class", "an instance class such as db.t4g.medium"),
    storageGiB: z.int().min(20).max(16384),
    backupRetentionDays: z.int().min(1).max(35),
    /** A standby in a second zone that RDS fails over to. */
    multiAz: z.boolean(),
});

export const kubernetesSchema = z.strictObject({
    /** EKS Kubernetes minor version; upgrades are one minor at a time. */
    version: pattern(/^1\.(3[0-9])$/, "is not an EKS Kubernetes version", "a minor version such as 1.34"),
    /** Nodes for cluster add-ons (CoreDNS, the EBS CSI controller, operators, the install job). */
    systemNodes: z.int().min(1).max(10),
    systemInstanceType: ec2InstanceType,
    /** IAM role ARNs given cluster-admin through EKS access entries (the deployer has it already). */
    adminRoleArns: z.array(pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
        "is not an IAM role ARN", "arn:aws:iam::<account>:role/<name>")),
});

export const loadBalancersSchema = z.strictObject({
    perCluster: z.int().min(1).max(4),
    /** Internal load balancers for the GUI and the GUI-facing API, for customers who reach the VPC privately. */
    internal: z.boolean(),
    /** WAF limit on requests per 5 minutes from one client IP to the public API (AWS allows 10 up; a page view sends several). */
    wafRateLimit: z.int().min(100).max(2_000_000_000),
    /** Days CloudWatch Logs keeps the WAF's request logs (authorization and cookie headers redacted). */
    wafLogRetentionDays: z.int().refine(isLogRetention, {
        message: "is not a CloudWatch Logs retention period", params: { allowed: LOG_RETENTION_DAYS.join(", ") },
    }),
    /** Serve Tracardi's widget bundles (`/uix/*`) on the public API. */
    widgetPaths: z.boolean(),
    /** Serve the consent endpoints (`GET /consents/type/enabled`, `POST /customer/consent`) on the public API. */
    consentPaths: z.boolean(),
});

export const NAT_GATEWAY_MODES = ["perZone", "single"] as const;

const vpcCidr = z.string().superRefine((value, ctx) => {
    const allowed = `an IPv4 network from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}, such as 10.0.0.0/16`;
    let parsed: { base: number; prefix: number } | undefined;
    try {
        parsed = parseIpv4Cidr(value);
    } catch {
        ctx.addIssue({ code: "custom", message: "is not an IPv4 CIDR", params: { allowed } });
        return;
    }
    if (parsed.prefix < MIN_VPC_PREFIX || parsed.prefix > MAX_VPC_PREFIX) {
        ctx.addIssue({ code: "custom", message: "leaves no room for three subnet tiers in every zone", params: { allowed } });
    }
    // Subnets are carved from the address as written: host bits would misalign every one of them.
    if (parsed.base % 2 ** (32 - parsed.prefix) !== 0) {
        const network = ipaddr.IPv4.networkAddressFromCIDR(value).toString();
        ctx.addIssue({ code: "custom", message: `has host bits set; write it as ${network}/${parsed.prefix}`, params: { allowed } });
    }
});

export const networkSchema = z.strictObject({
    cidr: vpcCidr,
    availabilityZones: z.int().min(2).max(6),
    natGateways: z.enum(NAT_GATEWAY_MODES),
});

export const dnsSchema = z.strictObject({
    /** Route53 hosted zone that holds the records and validates the certificates. */
    zone: hostname,
    publicApiHost: hostname,
    internalApiHost: hostname.optional(),
    guiHost: hostname,
    /** An existing ACM certificate covering every host, instead of one issued by the stack. */
    certificateArn: pattern(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
        "is not an ACM certificate ARN", "arn:aws:acm:<region>:<account>:certificate/<id>").optional(),
});

export const PROFILES = ["production", "minimal"] as const;
/** What runs Tracardi's servers: EKS (Kubernetes) or EC2 Auto Scaling groups of its own. */
export const COMPUTE_MODES = ["eks", "vm"] as const;

const RELEASE_TAG = z.enum(Object.keys(RELEASES) as [string, ...string[]]);

export const specSchema = z.strictObject({
    profile: z.enum(PROFILES),
    compute: z.enum(COMPUTE_MODES),
    version: RELEASE_TAG,
    /**
     * The release the stack ran before a change of `version` to one with another database version:
     * declares that the operator will migrate the data in Tracardi's GUI. Remove it once done.
     */
    upgradeFrom: RELEASE_TAG.optional(),
    trustedCidrs: z.array(z.string()).min(1, {
        message: "must name at least one network: the GUI and the GUI-facing API are never public",
    }).max(25, {
        // Each network takes two rules (80, 443) in a load balancer's security group, which AWS
        // caps at 60 inbound rules per address family.
        message: "lists more networks than a security group can hold: summarise them into wider ranges",
    }),
    dns: dnsSchema,
    publicApi: apiTierSchema,
    internalApi: apiTierSchema.optional(),
    gui: guiTierSchema,
    elasticsearch: elasticsearchSchema,
    redis: redisSchema,
    mysql: mysqlSchema,
    loadBalancers: loadBalancersSchema,
    network: networkSchema,
    kubernetes: kubernetesSchema,
    /**
     * AWS's deletion protection on the load balancers and the MySQL instance. Turned off (and applied
     * with `pulumi up`) only to destroy the stack: see README, "Destroying a stack".
     */
    deletionProtection: z.boolean(),
    /** Destinations set up in the GUI send events and profiles on (ENABLE_EVENT_/PROFILE_DESTINATIONS). */
    destinations: z.boolean(),
    /** E-mail of the first Tracardi admin, created by the install job. */
    adminEmail: z.email({ message: "is not an e-mail address" }),
    /** Extra tags on every AWS resource, for example the customer's cost centre. */
    tags: z.record(z.string(), z.string()),
});

export type StackSpec = z.infer<typeof specSchema>;
export type Profile = (typeof PROFILES)[number];
