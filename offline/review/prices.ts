/**
 * On-demand AWS prices the plan's cost estimate reads (offline/review/cost.ts), in USD, for
 * us-east-1, eu-west-1 and eu-central-1. Compiled on 2026-11-29 from AWS's own price files as public
 * repositories keep them (AWS's price list URLs cannot be reached from here). Each group of figures
 * names its source, and `basis` says how far to trust it:
 * - `price-list`: AWS's Price List API, as a generated file checked into a public repository;
 * - `pricing-data`: AWS's pricing-page price files (https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/
 *   <service>/USD/current/<file>.json, the figures AWS's pricing pages show), as a public repository
 *   archives them, named with its commit and the data's date. Where a price-list figure is at hand too
 *   they agree: us-east-1 EC2, all 201 types of lib/instanceTypes.ts, equals Karpenter's price-list file;
 *   every ElastiCache figure here (51) equals LeanerCloud/ec2-instances-info's
 *   data/elasticache-instances.json (commit f9eafba, 2025-04-24, drawn from ec2instances.info);
 * - `published`: the figure as a public page (named) quotes it;
 * - `recalled`: the figure AWS's pricing page shows, as the compiler knows it, not re-checked
 *   against a price file here. Check these first:
 *   https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json
 *   (EBS: productFamily Storage, volumeApiName gp3 / gp2; NAT: usagetype <prefix>-NatGateway-Hours / -Bytes).
 * How the pricing-data figures were read: the repository's processed/<file>.json maps a price
 * dimension to a price per AWS location name ("US East (N. Virginia)", "EU (Ireland)", "EU (Frankfurt)");
 * EC2 is "OnDemand Linux-instancetype-<type>", ElastiCache "... cache <type> Redis Current Generation",
 * RDS "Database Instance MySQL No license required db <class> ... Single-AZ Current Generation".
 * A figure this table lacks for a region is left out, never guessed: the estimate lists what it
 * prices with it as unpriced in that region.
 */

export type Basis = "price-list" | "pricing-data" | "published" | "recalled";

export interface PriceSource {
    basis: Basis;
    /** What the figures are and where they come from. */
    what: string;
    url: string;
}

/** Figures of one source: a price per key (instance type, node type or instance class). */
export interface PriceGroup {
    source: SourceKey;
    usd: Readonly<Record<string, number>>;
}

export interface UnitPrice {
    usd: number;
    source: SourceKey;
}

/** Priced units other than servers, nodes and database instances. */
export type UnitItem =
    | "ebsGp3GbMonth" | "ebsGp2GbMonth"
    | "eksClusterHour"
    | "albHour" | "albLcuHour" | "nlbHour" | "nlbNlcuHour"
    | "natHour" | "natGb" | "publicIpv4Hour"
    | "rdsGp3GbMonth" | "rdsGp2GbMonth"
    | "s3StandardGbMonth" | "s3PutPerThousand" | "s3GetPerThousand"
    | "logsIngestGb" | "logsVendedIngestGb" | "logsStoreGbMonth"
    | "kmsKeyMonth" | "secretMonth"
    | "wafAclMonth" | "wafRuleMonth" | "wafMillionRequests"
    | "internetOutGb" | "interAzGb";

export interface RegionPrices {
    /** EC2 on-demand, Linux, shared tenancy, per instance-hour. */
    ec2Hourly: PriceGroup[];
    /** ElastiCache (Redis OSS) on-demand, per node-hour. */
    elasticacheHourly: PriceGroup[];
    /** RDS for MySQL on-demand, Single-AZ, per instance-hour (Multi-AZ is twice). */
    rdsMysqlHourly: PriceGroup[];
    units: Partial<Record<UnitItem, UnitPrice>>;
}

/** Where the pricing-data figures are archived: QuinnyPig/aws-price-watcher, its newest commit here. */
const WATCHER = "QuinnyPig/aws-price-watcher@a6645eb (data as of 2025-06-18)";
const watcherUrl = (file: string) => `https://github.com/QuinnyPig/aws-price-watcher/blob/a6645eb2e53e9399396a714cdc4f3c346c7f06c0/processed/${file}.json`;

/** Figures that are the same in every region of the table. */
const GLOBAL = {
    eksClusterHour: { usd: 0.10, source: "eks" },
    publicIpv4Hour: { usd: 0.005, source: "ipv4" },
    kmsKeyMonth: { usd: 1, source: "kms" },
    secretMonth: { usd: 0.40, source: "secrets" },
    wafAclMonth: { usd: 5, source: "waf" },
    wafRuleMonth: { usd: 1, source: "waf" },
    wafMillionRequests: { usd: 0.60, source: "waf" },
    // First 10 TB a month (the first 100 GB a month, over all services and regions, are free).
    internetOutGb: { usd: 0.09, source: "transfer" },
    // Charged in each direction: a GB between two zones costs twice this.
    interAzGb: { usd: 0.01, source: "interAz" },
} satisfies Partial<Record<UnitItem, { usd: number; source: SourceKey }>>;

const SOURCES = {
    karpenter: {
        basis: "price-list",
        what: "EC2 on-demand Linux prices for us-east-1 from AWS's Price List API, as Karpenter generates them " +
            "(aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go, commit 6fc13b5, generated 2026-07-20T13:44:30Z); " +
            `the same figures, for every type of lib/instanceTypes.ts, as ${WATCHER} processed/ec2.json`,
        url: "https://github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws.go",
    },
    ec2Data: {
        basis: "pricing-data",
        what: `EC2 on-demand Linux, shared tenancy, per instance-hour, every type of lib/instanceTypes.ts: AWS's EC2 pricing-page data (meteredUnitMaps ec2), ${WATCHER}, processed/ec2.json (file last changed 2025-06-13)`,
        url: watcherUrl("ec2"),
    },
    elasticacheData: {
        basis: "pricing-data",
        what: `ElastiCache on-demand node-hour, Redis OSS, current generation (cache.t4g, cache.m6g, cache.r6g): AWS's ElastiCache pricing-page data, ${WATCHER}, ` +
            "processed/elasticache.json (last changed 2025-06-05); equal to LeanerCloud/ec2-instances-info@f9eafba data/elasticache-instances.json (2025-04-24)",
        url: watcherUrl("elasticache"),
    },
    rdsData: {
        basis: "pricing-data",
        what: `RDS for MySQL on-demand Single-AZ instance-hour (db.t4g, db.m6g, db.r6g): AWS's RDS pricing-page data, ${WATCHER}, processed/rds-mysql-ondemand.json ` +
            "(last changed 2025-06-05). Multi-AZ is priced at twice this: the data's Multi-AZ figures are twice the Single-AZ ones, give or take $0.001 an hour (rounding)",
        url: watcherUrl("rds-mysql-ondemand"),
    },
    rdsStorageData: {
        basis: "pricing-data",
        what: `RDS storage per GB-month, Single-AZ, General Purpose gp3 (3000 IOPS and 125 MB/s included) and gp2: AWS's RDS pricing-page data, ${WATCHER}, ` +
            "processed/rds-storage.json (last changed 2025-06-05); Multi-AZ is twice (the data: exactly twice for gp3)",
        url: watcherUrl("rds-storage"),
    },
    ebs: {
        basis: "recalled",
        what: "EBS gp3 per GB-month, with 3000 IOPS and 125 MB/s free per volume (more is charged apart); gp2 per GB-month " +
            "(not in the pricing-data archive used for the other figures)",
        url: "https://aws.amazon.com/ebs/pricing/",
    },
    eks: {
        basis: "pricing-data",
        what: `EKS cluster under standard support, per hour (extended support is priced apart): AWS's EKS pricing-page data, ${WATCHER}, processed/eks.json (last changed 2025-06-05)`,
        url: watcherUrl("eks"),
    },
    elb: {
        basis: "pricing-data",
        what: `Application and Network Load Balancer per hour and per LCU- / NLCU-hour: AWS's Elastic Load Balancing pricing-page data, ${WATCHER}, processed/elb.json (last changed 2025-06-05)`,
        url: watcherUrl("elb"),
    },
    natPublished: {
        basis: "published",
        what: "NAT gateway in us-east-1: $0.045 per hour and per GB processed, as a 2026 guide quotes AWS's VPC pricing page",
        url: "https://basavytix.com/blog/aws-nat-gateway-pricing",
    },
    nat: {
        basis: "recalled",
        what: "NAT gateway per hour and per GB processed from AWS's VPC pricing page (within the $0.048-0.052 a 2026 guide " +
            "gives for Ireland, Frankfurt and London: https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/; " +
            "not in the pricing-data archive used for the other figures)",
        url: "https://aws.amazon.com/vpc/pricing/",
    },
    ipv4: {
        basis: "pricing-data",
        what: `Public IPv4 address per hour, in use (idle: the same): AWS's VPC pricing-page data, ${WATCHER}, processed/vpc.json (last changed 2025-06-13)`,
        url: watcherUrl("vpc"),
    },
    s3: {
        basis: "pricing-data",
        what: `S3 Standard storage (first 50 TB) per GB-month; PUT/COPY/POST/LIST and GET requests per 1000: AWS's S3 pricing-page data, ${WATCHER}, processed/s3.json (last changed 2025-06-05)`,
        url: watcherUrl("s3"),
    },
    logs: {
        basis: "pricing-data",
        what: "CloudWatch Logs: Standard class ingestion per GB (\"Logs Collected Data Ingestion\"), vended logs (VPC flow logs, WAF) delivered to CloudWatch Logs " +
            `per GB (first 10 TB), archive storage per GB-month ("Stored Data"): AWS's CloudWatch pricing-page data, ${WATCHER}, processed/cloudwatch.json (last changed 2025-06-05)`,
        url: watcherUrl("cloudwatch"),
    },
    kms: {
        basis: "pricing-data",
        what: `KMS customer managed key per month (each yearly rotation adds $1 a month, for the first two): AWS's KMS pricing-page data, ${WATCHER}, processed/kms.json (last changed 2025-06-05)`,
        url: watcherUrl("kms"),
    },
    secrets: {
        basis: "pricing-data",
        what: `Secrets Manager secret per month (API calls $0.05 per 10,000): AWS's Secrets Manager pricing-page data, ${WATCHER}, processed/secretsmanager.json (last changed 2025-06-05)`,
        url: watcherUrl("secretsmanager"),
    },
    waf: {
        basis: "pricing-data",
        what: "WAF web ACL per month, rule or rule group per month, per million requests (AWS managed baseline rule groups carry no subscription): " +
            `AWS's WAF pricing-page data, ${WATCHER}, processed/waf.json (last changed 2025-06-12)`,
        url: watcherUrl("waf"),
    },
    transfer: {
        basis: "pricing-data",
        what: `Data transfer out to the Internet, first 10 TB a month, per GB ("DataTransfer External Outbound Next 10 TB"): AWS's data transfer pricing-page data, ${WATCHER}, ` +
            "processed/datatransfer.json (last changed 2025-06-05)",
        url: watcherUrl("datatransfer"),
    },
    interAz: {
        basis: "published",
        what: "Data transfer between zones of a region: $0.01 per GB in each direction, as a 2026 guide quotes AWS's page (not in the pricing-data archive used for the other figures)",
        url: "https://basavytix.com/blog/aws-nat-gateway-pricing",
    },
} as const satisfies Record<string, PriceSource>;

export type SourceKey = keyof typeof SOURCES;

export interface PriceTable {
    /** The day the table was compiled (UTC). */
    compiled: string;
    /** How old its prices are: the date of the oldest price data it was compiled from. */
    pricesAsOf: string;
    currency: "USD";
    /** Hours a month of always-on resources: AWS's own convention (8760 / 12). */
    hoursPerMonth: number;
    sources: Readonly<Record<SourceKey, PriceSource>>;
    regions: Readonly<Record<string, RegionPrices>>;
    notes: string[];
}

export const PRICES: PriceTable = {
    compiled: "2026-11-29",
    // QuinnyPig/aws-price-watcher's data (most figures); Karpenter's us-east-1 EC2 prices are of 2026-07-20.
    pricesAsOf: "2025-06-18",
    currency: "USD",
    hoursPerMonth: 730,
    sources: SOURCES,
    notes: [
        "On-demand prices only: Savings Plans, reserved instances and the Free Tier lower a real bill.",
        "Most figures are AWS's pricing-page data of June 2025 (us-east-1 EC2: the Price List API of July 2026); prices changed since then are not in the table.",
        "EC2, ElastiCache (cache.t4g, cache.m6g, cache.r6g) and RDS for MySQL (db.t4g, db.m6g, db.r6g) are priced in all three regions.",
        "EBS volumes and NAT gateways (outside us-east-1) are recalled figures, not checked against a price file; traffic between zones is a published figure.",
        "Taxes are not included.",
    ],
    regions: {
        "us-east-1": {
            ec2Hourly: [{
                source: "karpenter",
                usd: {
                "c5.12xlarge": 2.04, "c5.18xlarge": 3.06, "c5.24xlarge": 4.08, "c5.2xlarge": 0.34, "c5.4xlarge": 0.68, "c5.9xlarge": 1.53, "c5.large": 0.085, "c5.xlarge": 0.17,
                "c5a.12xlarge": 1.848, "c5a.16xlarge": 2.464, "c5a.24xlarge": 3.696, "c5a.2xlarge": 0.308, "c5a.4xlarge": 0.616, "c5a.8xlarge": 1.232, "c5a.large": 0.077, "c5a.xlarge": 0.154,
                "c6a.12xlarge": 1.836, "c6a.16xlarge": 2.448, "c6a.24xlarge": 3.672, "c6a.2xlarge": 0.306, "c6a.4xlarge": 0.612, "c6a.8xlarge": 1.224, "c6a.large": 0.0765, "c6a.xlarge": 0.153,
                "c6g.12xlarge": 1.632, "c6g.16xlarge": 2.176, "c6g.2xlarge": 0.272, "c6g.4xlarge": 0.544, "c6g.8xlarge": 1.088, "c6g.large": 0.068, "c6g.xlarge": 0.136,
                "c6i.12xlarge": 2.04, "c6i.16xlarge": 2.72, "c6i.24xlarge": 4.08, "c6i.2xlarge": 0.34, "c6i.4xlarge": 0.68, "c6i.8xlarge": 1.36, "c6i.large": 0.085, "c6i.xlarge": 0.17,
                "c7a.12xlarge": 2.46336, "c7a.16xlarge": 3.28448, "c7a.24xlarge": 4.92672, "c7a.2xlarge": 0.41056, "c7a.4xlarge": 0.82112, "c7a.8xlarge": 1.64224, "c7a.large": 0.10264, "c7a.xlarge": 0.20528,
                "c7g.12xlarge": 1.74, "c7g.16xlarge": 2.32, "c7g.2xlarge": 0.29, "c7g.4xlarge": 0.58, "c7g.8xlarge": 1.16, "c7g.large": 0.0725, "c7g.xlarge": 0.145,
                "c7i.12xlarge": 2.142, "c7i.16xlarge": 2.856, "c7i.24xlarge": 4.284, "c7i.2xlarge": 0.357, "c7i.4xlarge": 0.714, "c7i.8xlarge": 1.428, "c7i.large": 0.08925, "c7i.xlarge": 0.1785,
                "m5.12xlarge": 2.304, "m5.16xlarge": 3.072, "m5.24xlarge": 4.608, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768, "m5.8xlarge": 1.536, "m5.large": 0.096, "m5.xlarge": 0.192,
                "m5a.12xlarge": 2.064, "m5a.16xlarge": 2.752, "m5a.24xlarge": 4.128, "m5a.2xlarge": 0.344, "m5a.4xlarge": 0.688, "m5a.8xlarge": 1.376, "m5a.large": 0.086, "m5a.xlarge": 0.172,
                "m6a.12xlarge": 2.0736, "m6a.16xlarge": 2.7648, "m6a.24xlarge": 4.1472, "m6a.2xlarge": 0.3456, "m6a.4xlarge": 0.6912, "m6a.8xlarge": 1.3824, "m6a.large": 0.0864, "m6a.xlarge": 0.1728,
                "m6g.12xlarge": 1.848, "m6g.16xlarge": 2.464, "m6g.2xlarge": 0.308, "m6g.4xlarge": 0.616, "m6g.8xlarge": 1.232, "m6g.large": 0.077, "m6g.xlarge": 0.154,
                "m6i.12xlarge": 2.304, "m6i.16xlarge": 3.072, "m6i.24xlarge": 4.608, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768, "m6i.8xlarge": 1.536, "m6i.large": 0.096, "m6i.xlarge": 0.192,
                "m7a.12xlarge": 2.78208, "m7a.16xlarge": 3.70944, "m7a.24xlarge": 5.56416, "m7a.2xlarge": 0.46368, "m7a.4xlarge": 0.92736, "m7a.8xlarge": 1.85472, "m7a.large": 0.11592, "m7a.xlarge": 0.23184,
                "m7g.12xlarge": 1.9584, "m7g.16xlarge": 2.6112, "m7g.2xlarge": 0.3264, "m7g.4xlarge": 0.6528, "m7g.8xlarge": 1.3056, "m7g.large": 0.0816, "m7g.xlarge": 0.1632,
                "m7i.12xlarge": 2.4192, "m7i.16xlarge": 3.2256, "m7i.24xlarge": 4.8384, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064, "m7i.8xlarge": 1.6128, "m7i.large": 0.1008, "m7i.xlarge": 0.2016,
                "r5.12xlarge": 3.024, "r5.16xlarge": 4.032, "r5.24xlarge": 6.048, "r5.2xlarge": 0.504, "r5.4xlarge": 1.008, "r5.8xlarge": 2.016, "r5.large": 0.126, "r5.xlarge": 0.252,
                "r5a.12xlarge": 2.712, "r5a.16xlarge": 3.616, "r5a.24xlarge": 5.424, "r5a.2xlarge": 0.452, "r5a.4xlarge": 0.904, "r5a.8xlarge": 1.808, "r5a.large": 0.113, "r5a.xlarge": 0.226,
                "r6a.12xlarge": 2.7216, "r6a.16xlarge": 3.6288, "r6a.24xlarge": 5.4432, "r6a.2xlarge": 0.4536, "r6a.4xlarge": 0.9072, "r6a.8xlarge": 1.8144, "r6a.large": 0.1134, "r6a.xlarge": 0.2268,
                "r6g.12xlarge": 2.4192, "r6g.16xlarge": 3.2256, "r6g.2xlarge": 0.4032, "r6g.4xlarge": 0.8064, "r6g.8xlarge": 1.6128, "r6g.large": 0.1008, "r6g.xlarge": 0.2016,
                "r6i.12xlarge": 3.024, "r6i.16xlarge": 4.032, "r6i.24xlarge": 6.048, "r6i.2xlarge": 0.504, "r6i.4xlarge": 1.008, "r6i.8xlarge": 2.016, "r6i.large": 0.126, "r6i.xlarge": 0.252,
                "r7a.12xlarge": 3.6516, "r7a.16xlarge": 4.8688, "r7a.24xlarge": 7.3032, "r7a.2xlarge": 0.6086, "r7a.4xlarge": 1.2172, "r7a.8xlarge": 2.4344, "r7a.large": 0.15215, "r7a.xlarge": 0.3043,
                "r7g.12xlarge": 2.5704, "r7g.16xlarge": 3.4272, "r7g.2xlarge": 0.4284, "r7g.4xlarge": 0.8568, "r7g.8xlarge": 1.7136, "r7g.large": 0.1071, "r7g.xlarge": 0.2142,
                "r7i.12xlarge": 3.1752, "r7i.16xlarge": 4.2336, "r7i.24xlarge": 6.3504, "r7i.2xlarge": 0.5292, "r7i.4xlarge": 1.0584, "r7i.8xlarge": 2.1168, "r7i.large": 0.1323, "r7i.xlarge": 0.2646,
                "t3.2xlarge": 0.3328, "t3.large": 0.0832, "t3.medium": 0.0416, "t3.small": 0.0208, "t3.xlarge": 0.1664,
                "t3a.2xlarge": 0.3008, "t3a.large": 0.0752, "t3a.medium": 0.0376, "t3a.small": 0.0188, "t3a.xlarge": 0.1504,
                "t4g.2xlarge": 0.2688, "t4g.large": 0.0672, "t4g.medium": 0.0336, "t4g.small": 0.0168, "t4g.xlarge": 0.1344,
                },
            }],
            elasticacheHourly: [{
                source: "elasticacheData",
                usd: {
                "cache.m6g.12xlarge": 3.557, "cache.m6g.16xlarge": 4.743, "cache.m6g.2xlarge": 0.593, "cache.m6g.4xlarge": 1.186, "cache.m6g.8xlarge": 2.372, "cache.m6g.large": 0.149, "cache.m6g.xlarge": 0.297,
                "cache.r6g.12xlarge": 4.925, "cache.r6g.16xlarge": 6.567, "cache.r6g.2xlarge": 0.821, "cache.r6g.4xlarge": 1.642, "cache.r6g.8xlarge": 3.284, "cache.r6g.large": 0.206, "cache.r6g.xlarge": 0.411,
                "cache.t4g.medium": 0.065, "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032,
                },
            }],
            rdsMysqlHourly: [{
                source: "rdsData",
                usd: {
                "db.m6g.12xlarge": 3.648, "db.m6g.16xlarge": 4.864, "db.m6g.2xlarge": 0.608, "db.m6g.4xlarge": 1.216, "db.m6g.8xlarge": 2.432, "db.m6g.large": 0.152, "db.m6g.xlarge": 0.304,
                "db.r6g.12xlarge": 5.155, "db.r6g.16xlarge": 6.874, "db.r6g.2xlarge": 0.859, "db.r6g.4xlarge": 1.718, "db.r6g.8xlarge": 3.437, "db.r6g.large": 0.215, "db.r6g.xlarge": 0.43,
                "db.t4g.2xlarge": 0.517, "db.t4g.large": 0.129, "db.t4g.medium": 0.065, "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.xlarge": 0.258,
                },
            }],
            units: {
                ...GLOBAL,
                ebsGp3GbMonth: { usd: 0.08, source: "ebs" },
                ebsGp2GbMonth: { usd: 0.10, source: "ebs" },
                albHour: { usd: 0.0225, source: "elb" },
                albLcuHour: { usd: 0.008, source: "elb" },
                nlbHour: { usd: 0.0225, source: "elb" },
                nlbNlcuHour: { usd: 0.006, source: "elb" },
                natHour: { usd: 0.045, source: "natPublished" },
                natGb: { usd: 0.045, source: "natPublished" },
                rdsGp3GbMonth: { usd: 0.115, source: "rdsStorageData" },
                rdsGp2GbMonth: { usd: 0.115, source: "rdsStorageData" },
                s3StandardGbMonth: { usd: 0.023, source: "s3" },
                s3PutPerThousand: { usd: 0.005, source: "s3" },
                s3GetPerThousand: { usd: 0.0004, source: "s3" },
                logsIngestGb: { usd: 0.50, source: "logs" },
                logsVendedIngestGb: { usd: 0.50, source: "logs" },
                logsStoreGbMonth: { usd: 0.03, source: "logs" },
            },
        },
        "eu-west-1": {
            ec2Hourly: [{
                source: "ec2Data",
                usd: {
                "c5.12xlarge": 2.304, "c5.18xlarge": 3.456, "c5.24xlarge": 4.608, "c5.2xlarge": 0.384, "c5.4xlarge": 0.768, "c5.9xlarge": 1.728, "c5.large": 0.096, "c5.xlarge": 0.192,
                "c5a.12xlarge": 2.064, "c5a.16xlarge": 2.752, "c5a.24xlarge": 4.128, "c5a.2xlarge": 0.344, "c5a.4xlarge": 0.688, "c5a.8xlarge": 1.376, "c5a.large": 0.086, "c5a.xlarge": 0.172,
                "c6a.12xlarge": 1.96992, "c6a.16xlarge": 2.62656, "c6a.24xlarge": 3.93984, "c6a.2xlarge": 0.32832, "c6a.4xlarge": 0.65664, "c6a.8xlarge": 1.31328, "c6a.large": 0.08208, "c6a.xlarge": 0.16416,
                "c6g.12xlarge": 1.751, "c6g.16xlarge": 2.3347, "c6g.2xlarge": 0.2918, "c6g.4xlarge": 0.5837, "c6g.8xlarge": 1.1674, "c6g.large": 0.073, "c6g.xlarge": 0.1459,
                "c6i.12xlarge": 2.1888, "c6i.16xlarge": 2.9184, "c6i.24xlarge": 4.3776, "c6i.2xlarge": 0.3648, "c6i.4xlarge": 0.7296, "c6i.8xlarge": 1.4592, "c6i.large": 0.0912, "c6i.xlarge": 0.1824,
                "c7a.12xlarge": 2.64288, "c7a.16xlarge": 3.52384, "c7a.24xlarge": 5.28576, "c7a.2xlarge": 0.44048, "c7a.4xlarge": 0.88096, "c7a.8xlarge": 1.76192, "c7a.large": 0.11012, "c7a.xlarge": 0.22024,
                "c7g.12xlarge": 1.8605, "c7g.16xlarge": 2.4806, "c7g.2xlarge": 0.3101, "c7g.4xlarge": 0.6202, "c7g.8xlarge": 1.2403, "c7g.large": 0.0775, "c7g.xlarge": 0.155,
                "c7i.12xlarge": 2.29824, "c7i.16xlarge": 3.06432, "c7i.24xlarge": 4.59648, "c7i.2xlarge": 0.38304, "c7i.4xlarge": 0.76608, "c7i.8xlarge": 1.53216, "c7i.large": 0.09576, "c7i.xlarge": 0.19152,
                "m5.12xlarge": 2.568, "m5.16xlarge": 3.424, "m5.24xlarge": 5.136, "m5.2xlarge": 0.428, "m5.4xlarge": 0.856, "m5.8xlarge": 1.712, "m5.large": 0.107, "m5.xlarge": 0.214,
                "m5a.12xlarge": 2.304, "m5a.16xlarge": 3.072, "m5a.24xlarge": 4.608, "m5a.2xlarge": 0.384, "m5a.4xlarge": 0.768, "m5a.8xlarge": 1.536, "m5a.large": 0.096, "m5a.xlarge": 0.192,
                "m6a.12xlarge": 2.3112, "m6a.16xlarge": 3.0816, "m6a.24xlarge": 4.6224, "m6a.2xlarge": 0.3852, "m6a.4xlarge": 0.7704, "m6a.8xlarge": 1.5408, "m6a.large": 0.0963, "m6a.xlarge": 0.1926,
                "m6g.12xlarge": 2.064, "m6g.16xlarge": 2.752, "m6g.2xlarge": 0.344, "m6g.4xlarge": 0.688, "m6g.8xlarge": 1.376, "m6g.large": 0.086, "m6g.xlarge": 0.172,
                "m6i.12xlarge": 2.568, "m6i.16xlarge": 3.424, "m6i.24xlarge": 5.136, "m6i.2xlarge": 0.428, "m6i.4xlarge": 0.856, "m6i.8xlarge": 1.712, "m6i.large": 0.107, "m6i.xlarge": 0.214,
                "m7a.12xlarge": 3.1008, "m7a.16xlarge": 4.1344, "m7a.24xlarge": 6.2016, "m7a.2xlarge": 0.5168, "m7a.4xlarge": 1.0336, "m7a.8xlarge": 2.0672, "m7a.large": 0.1292, "m7a.xlarge": 0.2584,
                "m7g.12xlarge": 2.1828, "m7g.16xlarge": 2.9104, "m7g.2xlarge": 0.3638, "m7g.4xlarge": 0.7276, "m7g.8xlarge": 1.4552, "m7g.large": 0.091, "m7g.xlarge": 0.1819,
                "m7i.12xlarge": 2.6964, "m7i.16xlarge": 3.5952, "m7i.24xlarge": 5.3928, "m7i.2xlarge": 0.4494, "m7i.4xlarge": 0.8988, "m7i.8xlarge": 1.7976, "m7i.large": 0.11235, "m7i.xlarge": 0.2247,
                "r5.12xlarge": 3.384, "r5.16xlarge": 4.512, "r5.24xlarge": 6.768, "r5.2xlarge": 0.564, "r5.4xlarge": 1.128, "r5.8xlarge": 2.256, "r5.large": 0.141, "r5.xlarge": 0.282,
                "r5a.12xlarge": 3.048, "r5a.16xlarge": 4.064, "r5a.24xlarge": 6.096, "r5a.2xlarge": 0.508, "r5a.4xlarge": 1.016, "r5a.8xlarge": 2.032, "r5a.large": 0.127, "r5a.xlarge": 0.254,
                "r6a.12xlarge": 3.0456, "r6a.16xlarge": 4.0608, "r6a.24xlarge": 6.0912, "r6a.2xlarge": 0.5076, "r6a.4xlarge": 1.0152, "r6a.8xlarge": 2.0304, "r6a.large": 0.1269, "r6a.xlarge": 0.2538,
                "r6g.12xlarge": 2.7072, "r6g.16xlarge": 3.6096, "r6g.2xlarge": 0.4512, "r6g.4xlarge": 0.9024, "r6g.8xlarge": 1.8048, "r6g.large": 0.1128, "r6g.xlarge": 0.2256,
                "r6i.12xlarge": 3.384, "r6i.16xlarge": 4.512, "r6i.24xlarge": 6.768, "r6i.2xlarge": 0.564, "r6i.4xlarge": 1.128, "r6i.8xlarge": 2.256, "r6i.large": 0.141, "r6i.xlarge": 0.282,
                "r7a.12xlarge": 4.08624, "r7a.16xlarge": 5.44832, "r7a.24xlarge": 8.17248, "r7a.2xlarge": 0.68104, "r7a.4xlarge": 1.36208, "r7a.8xlarge": 2.72416, "r7a.large": 0.17026, "r7a.xlarge": 0.34052,
                "r7g.12xlarge": 2.8764, "r7g.16xlarge": 3.8352, "r7g.2xlarge": 0.4794, "r7g.4xlarge": 0.9588, "r7g.8xlarge": 1.9176, "r7g.large": 0.1199, "r7g.xlarge": 0.2397,
                "r7i.12xlarge": 3.5532, "r7i.16xlarge": 4.7376, "r7i.24xlarge": 7.1064, "r7i.2xlarge": 0.5922, "r7i.4xlarge": 1.1844, "r7i.8xlarge": 2.3688, "r7i.large": 0.14805, "r7i.xlarge": 0.2961,
                "t3.2xlarge": 0.3648, "t3.large": 0.0912, "t3.medium": 0.0456, "t3.small": 0.0228, "t3.xlarge": 0.1824,
                "t3a.2xlarge": 0.3264, "t3a.large": 0.0816, "t3a.medium": 0.0408, "t3a.small": 0.0204, "t3a.xlarge": 0.1632,
                "t4g.2xlarge": 0.2944, "t4g.large": 0.0736, "t4g.medium": 0.0368, "t4g.small": 0.0184, "t4g.xlarge": 0.1472,
                },
            }],
            elasticacheHourly: [{
                source: "elasticacheData",
                usd: {
                "cache.m6g.12xlarge": 3.922, "cache.m6g.16xlarge": 5.229, "cache.m6g.2xlarge": 0.654, "cache.m6g.4xlarge": 1.308, "cache.m6g.8xlarge": 2.615, "cache.m6g.large": 0.164, "cache.m6g.xlarge": 0.327,
                "cache.r6g.12xlarge": 5.495, "cache.r6g.16xlarge": 7.327, "cache.r6g.2xlarge": 0.916, "cache.r6g.4xlarge": 1.832, "cache.r6g.8xlarge": 3.664, "cache.r6g.large": 0.229, "cache.r6g.xlarge": 0.458,
                "cache.t4g.medium": 0.068, "cache.t4g.micro": 0.017, "cache.t4g.small": 0.034,
                },
            }],
            rdsMysqlHourly: [{
                source: "rdsData",
                usd: {
                "db.m6g.12xlarge": 4.032, "db.m6g.16xlarge": 5.376, "db.m6g.2xlarge": 0.672, "db.m6g.4xlarge": 1.344, "db.m6g.8xlarge": 2.688, "db.m6g.large": 0.168, "db.m6g.xlarge": 0.336,
                "db.r6g.12xlarge": 5.692, "db.r6g.16xlarge": 7.59, "db.r6g.2xlarge": 0.949, "db.r6g.4xlarge": 1.897, "db.r6g.8xlarge": 3.795, "db.r6g.large": 0.237, "db.r6g.xlarge": 0.474,
                "db.t4g.2xlarge": 0.554, "db.t4g.large": 0.138, "db.t4g.medium": 0.069, "db.t4g.micro": 0.017, "db.t4g.small": 0.035, "db.t4g.xlarge": 0.277,
                },
            }],
            units: {
                ...GLOBAL,
                ebsGp3GbMonth: { usd: 0.088, source: "ebs" },
                ebsGp2GbMonth: { usd: 0.11, source: "ebs" },
                albHour: { usd: 0.0252, source: "elb" },
                albLcuHour: { usd: 0.008, source: "elb" },
                nlbHour: { usd: 0.0252, source: "elb" },
                nlbNlcuHour: { usd: 0.006, source: "elb" },
                natHour: { usd: 0.048, source: "nat" },
                natGb: { usd: 0.048, source: "nat" },
                rdsGp3GbMonth: { usd: 0.127, source: "rdsStorageData" },
                rdsGp2GbMonth: { usd: 0.127, source: "rdsStorageData" },
                s3StandardGbMonth: { usd: 0.023, source: "s3" },
                s3PutPerThousand: { usd: 0.005, source: "s3" },
                s3GetPerThousand: { usd: 0.0004, source: "s3" },
                logsIngestGb: { usd: 0.57, source: "logs" },
                logsVendedIngestGb: { usd: 0.57, source: "logs" },
                logsStoreGbMonth: { usd: 0.03, source: "logs" },
            },
        },
        "eu-central-1": {
            ec2Hourly: [{
                source: "ec2Data",
                usd: {
                "c5.12xlarge": 2.328, "c5.18xlarge": 3.492, "c5.24xlarge": 4.656, "c5.2xlarge": 0.388, "c5.4xlarge": 0.776, "c5.9xlarge": 1.746, "c5.large": 0.097, "c5.xlarge": 0.194,
                "c5a.12xlarge": 2.088, "c5a.16xlarge": 2.784, "c5a.24xlarge": 4.176, "c5a.2xlarge": 0.348, "c5a.4xlarge": 0.696, "c5a.8xlarge": 1.392, "c5a.large": 0.087, "c5a.xlarge": 0.174,
                "c6a.12xlarge": 2.0952, "c6a.16xlarge": 2.7936, "c6a.24xlarge": 4.1904, "c6a.2xlarge": 0.3492, "c6a.4xlarge": 0.6984, "c6a.8xlarge": 1.3968, "c6a.large": 0.0873, "c6a.xlarge": 0.1746,
                "c6g.12xlarge": 1.8624, "c6g.16xlarge": 2.4832, "c6g.2xlarge": 0.3104, "c6g.4xlarge": 0.6208, "c6g.8xlarge": 1.2416, "c6g.large": 0.0776, "c6g.xlarge": 0.1552,
                "c6i.12xlarge": 2.328, "c6i.16xlarge": 3.104, "c6i.24xlarge": 4.656, "c6i.2xlarge": 0.388, "c6i.4xlarge": 0.776, "c6i.8xlarge": 1.552, "c6i.large": 0.097, "c6i.xlarge": 0.194,
                "c7a.12xlarge": 2.81112, "c7a.16xlarge": 3.74816, "c7a.24xlarge": 5.62224, "c7a.2xlarge": 0.46852, "c7a.4xlarge": 0.93704, "c7a.8xlarge": 1.87408, "c7a.large": 0.11713, "c7a.xlarge": 0.23426,
                "c7g.12xlarge": 1.9788, "c7g.16xlarge": 2.6384, "c7g.2xlarge": 0.3298, "c7g.4xlarge": 0.6596, "c7g.8xlarge": 1.3192, "c7g.large": 0.0825, "c7g.xlarge": 0.1649,
                "c7i.12xlarge": 2.4444, "c7i.16xlarge": 3.2592, "c7i.24xlarge": 4.8888, "c7i.2xlarge": 0.4074, "c7i.4xlarge": 0.8148, "c7i.8xlarge": 1.6296, "c7i.large": 0.10185, "c7i.xlarge": 0.2037,
                "m5.12xlarge": 2.76, "m5.16xlarge": 3.68, "m5.24xlarge": 5.52, "m5.2xlarge": 0.46, "m5.4xlarge": 0.92, "m5.8xlarge": 1.84, "m5.large": 0.115, "m5.xlarge": 0.23,
                "m5a.12xlarge": 2.496, "m5a.16xlarge": 3.328, "m5a.24xlarge": 4.992, "m5a.2xlarge": 0.416, "m5a.4xlarge": 0.832, "m5a.8xlarge": 1.664, "m5a.large": 0.104, "m5a.xlarge": 0.208,
                "m6a.12xlarge": 2.484, "m6a.16xlarge": 3.312, "m6a.24xlarge": 4.968, "m6a.2xlarge": 0.414, "m6a.4xlarge": 0.828, "m6a.8xlarge": 1.656, "m6a.large": 0.1035, "m6a.xlarge": 0.207,
                "m6g.12xlarge": 2.208, "m6g.16xlarge": 2.944, "m6g.2xlarge": 0.368, "m6g.4xlarge": 0.736, "m6g.8xlarge": 1.472, "m6g.large": 0.092, "m6g.xlarge": 0.184,
                "m6i.12xlarge": 2.76, "m6i.16xlarge": 3.68, "m6i.24xlarge": 5.52, "m6i.2xlarge": 0.46, "m6i.4xlarge": 0.92, "m6i.8xlarge": 1.84, "m6i.large": 0.115, "m6i.xlarge": 0.23,
                "m7a.12xlarge": 3.33264, "m7a.16xlarge": 4.44352, "m7a.24xlarge": 6.66528, "m7a.2xlarge": 0.55544, "m7a.4xlarge": 1.11088, "m7a.8xlarge": 2.22176, "m7a.large": 0.13886, "m7a.xlarge": 0.27772,
                "m7g.12xlarge": 2.3462, "m7g.16xlarge": 3.1283, "m7g.2xlarge": 0.391, "m7g.4xlarge": 0.7821, "m7g.8xlarge": 1.5642, "m7g.large": 0.0978, "m7g.xlarge": 0.1955,
                "m7i.12xlarge": 2.898, "m7i.16xlarge": 3.864, "m7i.24xlarge": 5.796, "m7i.2xlarge": 0.483, "m7i.4xlarge": 0.966, "m7i.8xlarge": 1.932, "m7i.large": 0.12075, "m7i.xlarge": 0.2415,
                "r5.12xlarge": 3.648, "r5.16xlarge": 4.864, "r5.24xlarge": 7.296, "r5.2xlarge": 0.608, "r5.4xlarge": 1.216, "r5.8xlarge": 2.432, "r5.large": 0.152, "r5.xlarge": 0.304,
                "r5a.12xlarge": 3.288, "r5a.16xlarge": 4.384, "r5a.24xlarge": 6.576, "r5a.2xlarge": 0.548, "r5a.4xlarge": 1.096, "r5a.8xlarge": 2.192, "r5a.large": 0.137, "r5a.xlarge": 0.274,
                "r6a.12xlarge": 3.2832, "r6a.16xlarge": 4.3776, "r6a.24xlarge": 6.5664, "r6a.2xlarge": 0.5472, "r6a.4xlarge": 1.0944, "r6a.8xlarge": 2.1888, "r6a.large": 0.1368, "r6a.xlarge": 0.2736,
                "r6g.12xlarge": 2.9184, "r6g.16xlarge": 3.8912, "r6g.2xlarge": 0.4864, "r6g.4xlarge": 0.9728, "r6g.8xlarge": 1.9456, "r6g.large": 0.1216, "r6g.xlarge": 0.2432,
                "r6i.12xlarge": 3.648, "r6i.16xlarge": 4.864, "r6i.24xlarge": 7.296, "r6i.2xlarge": 0.608, "r6i.4xlarge": 1.216, "r6i.8xlarge": 2.432, "r6i.large": 0.152, "r6i.xlarge": 0.304,
                "r7a.12xlarge": 4.40496, "r7a.16xlarge": 5.87328, "r7a.24xlarge": 8.80992, "r7a.2xlarge": 0.73416, "r7a.4xlarge": 1.46832, "r7a.8xlarge": 2.93664, "r7a.large": 0.18354, "r7a.xlarge": 0.36708,
                "r7g.12xlarge": 3.1008, "r7g.16xlarge": 4.1344, "r7g.2xlarge": 0.5168, "r7g.4xlarge": 1.0336, "r7g.8xlarge": 2.0672, "r7g.large": 0.1292, "r7g.xlarge": 0.2584,
                "r7i.12xlarge": 3.8304, "r7i.16xlarge": 5.1072, "r7i.24xlarge": 7.6608, "r7i.2xlarge": 0.6384, "r7i.4xlarge": 1.2768, "r7i.8xlarge": 2.5536, "r7i.large": 0.1596, "r7i.xlarge": 0.3192,
                "t3.2xlarge": 0.384, "t3.large": 0.096, "t3.medium": 0.048, "t3.small": 0.024, "t3.xlarge": 0.192,
                "t3a.2xlarge": 0.3456, "t3a.large": 0.0864, "t3a.medium": 0.0432, "t3a.small": 0.0216, "t3a.xlarge": 0.1728,
                "t4g.2xlarge": 0.3072, "t4g.large": 0.0768, "t4g.medium": 0.0384, "t4g.small": 0.0192, "t4g.xlarge": 0.1536,
                },
            }],
            elasticacheHourly: [{
                source: "elasticacheData",
                usd: {
                "cache.m6g.12xlarge": 4.241, "cache.m6g.16xlarge": 5.655, "cache.m6g.2xlarge": 0.707, "cache.m6g.4xlarge": 1.414, "cache.m6g.8xlarge": 2.828, "cache.m6g.large": 0.177, "cache.m6g.xlarge": 0.354,
                "cache.r6g.12xlarge": 5.928, "cache.r6g.16xlarge": 7.904, "cache.r6g.2xlarge": 0.988, "cache.r6g.4xlarge": 1.976, "cache.r6g.8xlarge": 3.952, "cache.r6g.large": 0.247, "cache.r6g.xlarge": 0.494,
                "cache.t4g.medium": 0.072, "cache.t4g.micro": 0.018, "cache.t4g.small": 0.036,
                },
            }],
            rdsMysqlHourly: [{
                source: "rdsData",
                usd: {
                "db.m6g.12xlarge": 4.331, "db.m6g.16xlarge": 5.774, "db.m6g.2xlarge": 0.722, "db.m6g.4xlarge": 1.444, "db.m6g.8xlarge": 2.887, "db.m6g.large": 0.18, "db.m6g.xlarge": 0.361,
                "db.r6g.12xlarge": 6.229, "db.r6g.16xlarge": 8.306, "db.r6g.2xlarge": 1.038, "db.r6g.4xlarge": 2.076, "db.r6g.8xlarge": 4.153, "db.r6g.large": 0.26, "db.r6g.xlarge": 0.519,
                "db.t4g.2xlarge": 0.595, "db.t4g.large": 0.149, "db.t4g.medium": 0.074, "db.t4g.micro": 0.019, "db.t4g.small": 0.037, "db.t4g.xlarge": 0.298,
                },
            }],
            units: {
                ...GLOBAL,
                ebsGp3GbMonth: { usd: 0.0952, source: "ebs" },
                ebsGp2GbMonth: { usd: 0.119, source: "ebs" },
                albHour: { usd: 0.027, source: "elb" },
                albLcuHour: { usd: 0.008, source: "elb" },
                nlbHour: { usd: 0.027, source: "elb" },
                nlbNlcuHour: { usd: 0.006, source: "elb" },
                natHour: { usd: 0.052, source: "nat" },
                natGb: { usd: 0.052, source: "nat" },
                rdsGp3GbMonth: { usd: 0.137, source: "rdsStorageData" },
                rdsGp2GbMonth: { usd: 0.137, source: "rdsStorageData" },
                s3StandardGbMonth: { usd: 0.0245, source: "s3" },
                s3PutPerThousand: { usd: 0.0054, source: "s3" },
                s3GetPerThousand: { usd: 0.00043, source: "s3" },
                logsIngestGb: { usd: 0.63, source: "logs" },
                logsVendedIngestGb: { usd: 0.63, source: "logs" },
                logsStoreGbMonth: { usd: 0.0324, source: "logs" },
            },
        },
    },
};
