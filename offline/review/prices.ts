/**
 * On-demand AWS prices the plan's cost estimate reads (offline/review/cost.ts), in USD, for the
 * regions below. Compiled on 2026-11-29 by hand, without the price list files: they cannot be
 * downloaded here. Each group of figures names its source, and `basis` says how far to trust it:
 * - `price-list`: AWS's Price List API, as a generated file checked into a public repository;
 * - `published`: the figure as a public page (named) quotes it;
 * - `recalled`: the figure AWS's pricing page shows, as the compiler knows it, not re-checked
 *   against the price list file here. Check these first:
 *   https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json
 *   (service AmazonEC2, AmazonElastiCache, AmazonRDS, AmazonEKS, AWSELB, AmazonS3, AmazonCloudWatch,
 *   awskms, AWSSecretsManager, awswaf, AWSDataTransfer).
 * A figure this table lacks for a region is left out, never guessed: the estimate lists what it
 * prices with it as unpriced in that region.
 */

export type Basis = "price-list" | "published" | "recalled";

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

/** Figures that are the same in every region of the table (AWS prices them globally). */
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
            "(aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go, commit 6fc13b5, generated 2026-07-20T13:44:30Z)",
        url: "https://github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws.go",
    },
    ec2Page: {
        basis: "recalled",
        what: "EC2 on-demand Linux price of each family's `large` size from AWS's pricing page; the other sizes at " +
            "large x vCPU / 2, as on-demand Linux prices scale within these families (true of every family and size " +
            "of lib/instanceTypes.ts in the us-east-1 price list; a test checks it)",
        url: "https://aws.amazon.com/ec2/pricing/on-demand/",
    },
    ec2BurstablePage: {
        basis: "recalled",
        what: "EC2 on-demand Linux prices of t3 sizes from AWS's pricing page",
        url: "https://aws.amazon.com/ec2/pricing/on-demand/",
    },
    elasticachePage: {
        basis: "recalled",
        what: "ElastiCache on-demand node prices (Redis OSS) from AWS's pricing page",
        url: "https://aws.amazon.com/elasticache/pricing/",
    },
    rdsT4g: {
        basis: "published",
        what: "RDS on-demand Single-AZ prices of db.t4g micro, small and medium in us-east-1 (Multi-AZ exactly twice), as a 2026 " +
            "cost article quotes them for PostgreSQL; RDS for MySQL's page lists the same db.t4g prices (recalled, not re-checked)",
        url: "https://infratally.com/articles/aws-rds-pricing-explained-2026.html",
    },
    rdsStorage: {
        basis: "published",
        what: "RDS gp3 storage in us-east-1, $0.115 per GB-month, 3000 IOPS and 125 MB/s included (a June 2026 article quoting AWS's page)",
        url: "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
    },
    rdsPage: {
        basis: "recalled",
        what: "RDS storage per GB-month (gp2; gp3 is the same price) from AWS's RDS for MySQL pricing page; Multi-AZ storage is twice",
        url: "https://aws.amazon.com/rds/mysql/pricing/",
    },
    ebs: {
        basis: "recalled",
        what: "EBS gp3 per GB-month, with 3000 IOPS and 125 MB/s free per volume (more is charged apart); gp2 per GB-month",
        url: "https://aws.amazon.com/ebs/pricing/",
    },
    eks: {
        basis: "recalled",
        what: "EKS cluster under standard support, per hour, every region (extended support is $0.60)",
        url: "https://aws.amazon.com/eks/pricing/",
    },
    elb: {
        basis: "recalled",
        what: "Application and Network Load Balancer per hour and per LCU- / NLCU-hour",
        url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    },
    elbPublished: {
        basis: "published",
        what: "Application Load Balancer per hour in Europe (Ireland), $0.0252, as a calculator page's regional table quotes it (AWS's page: the same)",
        url: "https://cal53.calculator.city/aws-alb-cost-calculator/",
    },
    natPublished: {
        basis: "published",
        what: "NAT gateway in us-east-1: $0.045 per hour and per GB processed, as a 2026 guide quotes AWS's VPC pricing page",
        url: "https://basavytix.com/blog/aws-nat-gateway-pricing",
    },
    nat: {
        basis: "recalled",
        what: "NAT gateway per hour and per GB processed from AWS's VPC pricing page (within the $0.048-0.052 a 2026 guide " +
            "gives for Ireland, Frankfurt and London: https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/)",
        url: "https://aws.amazon.com/vpc/pricing/",
    },
    ipv4: {
        basis: "published",
        what: "Public IPv4 address per hour, in use or idle, every region (since 2024-02-01), as a 2026 guide quotes it",
        url: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
    },
    s3: {
        basis: "recalled",
        what: "S3 Standard storage (first 50 TB) per GB-month; PUT/COPY/POST/LIST and GET requests per 1000",
        url: "https://aws.amazon.com/s3/pricing/",
    },
    logs: {
        basis: "recalled",
        what: "CloudWatch Logs: Standard class ingestion per GB, vended logs (VPC flow logs, WAF) delivered to CloudWatch Logs " +
            "per GB (first 10 TB), archive storage per GB-month",
        url: "https://aws.amazon.com/cloudwatch/pricing/",
    },
    kms: {
        basis: "recalled",
        what: "KMS customer managed key per month (each yearly rotation adds $1 a month, for the first two)",
        url: "https://aws.amazon.com/kms/pricing/",
    },
    secrets: {
        basis: "recalled",
        what: "Secrets Manager secret per month (API calls $0.05 per 10,000)",
        url: "https://aws.amazon.com/secrets-manager/pricing/",
    },
    waf: {
        basis: "recalled",
        what: "WAF web ACL per month, rule or rule group per month, per million requests (AWS managed baseline rule groups carry no subscription)",
        url: "https://aws.amazon.com/waf/pricing/",
    },
    transfer: {
        basis: "published",
        what: "Data transfer out to the Internet, first 10 TB a month, per GB, as a 2026 guide quotes AWS's page (the same in the EU regions here: recalled)",
        url: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/",
    },
    interAz: {
        basis: "published",
        what: "Data transfer between zones of a region: $0.01 per GB in each direction, as a 2026 guide quotes AWS's page",
        url: "https://basavytix.com/blog/aws-nat-gateway-pricing",
    },
} as const satisfies Record<string, PriceSource>;

export type SourceKey = keyof typeof SOURCES;

export interface PriceTable {
    /** The day the table was compiled (UTC). */
    compiled: string;
    currency: "USD";
    /** Hours a month of always-on resources: AWS's own convention (8760 / 12). */
    hoursPerMonth: number;
    sources: Readonly<Record<SourceKey, PriceSource>>;
    regions: Readonly<Record<string, RegionPrices>>;
    notes: string[];
}

export const PRICES: PriceTable = {
    compiled: "2026-11-29",
    currency: "USD",
    hoursPerMonth: 730,
    sources: SOURCES,
    notes: [
        "On-demand prices only: Savings Plans, reserved instances and the Free Tier lower a real bill.",
        "us-east-1 EC2 figures are the price list's; eu-west-1 and eu-central-1 EC2 figures cover the families " +
            "c5, c6i, m5, m6i, r5, r6i and t3 only: other families are unpriced there.",
        "ElastiCache and RDS instance prices are in the table for us-east-1 only (db.t4g and cache.t4g micro to medium): " +
            "no published figure for eu-west-1 or eu-central-1 was found, so there they are unpriced.",
        "Load balancers in eu-central-1 are unpriced: no figure was found for them.",
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
            elasticacheHourly: [{ source: "elasticachePage", usd: { "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065 } }],
            rdsMysqlHourly: [{ source: "rdsT4g", usd: { "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065 } }],
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
                rdsGp3GbMonth: { usd: 0.115, source: "rdsStorage" },
                rdsGp2GbMonth: { usd: 0.115, source: "rdsPage" },
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
                source: "ec2Page",
                usd: {
                "c5.large": 0.096, "c5.xlarge": 0.192, "c5.2xlarge": 0.384, "c5.4xlarge": 0.768, "c5.9xlarge": 1.728, "c5.12xlarge": 2.304, "c5.18xlarge": 3.456, "c5.24xlarge": 4.608,
                "c6i.large": 0.096, "c6i.xlarge": 0.192, "c6i.2xlarge": 0.384, "c6i.4xlarge": 0.768, "c6i.8xlarge": 1.536, "c6i.12xlarge": 2.304, "c6i.16xlarge": 3.072, "c6i.24xlarge": 4.608,
                "m5.large": 0.107, "m5.xlarge": 0.214, "m5.2xlarge": 0.428, "m5.4xlarge": 0.856, "m5.8xlarge": 1.712, "m5.12xlarge": 2.568, "m5.16xlarge": 3.424, "m5.24xlarge": 5.136,
                "m6i.large": 0.107, "m6i.xlarge": 0.214, "m6i.2xlarge": 0.428, "m6i.4xlarge": 0.856, "m6i.8xlarge": 1.712, "m6i.12xlarge": 2.568, "m6i.16xlarge": 3.424, "m6i.24xlarge": 5.136,
                "r5.large": 0.141, "r5.xlarge": 0.282, "r5.2xlarge": 0.564, "r5.4xlarge": 1.128, "r5.8xlarge": 2.256, "r5.12xlarge": 3.384, "r5.16xlarge": 4.512, "r5.24xlarge": 6.768,
                "r6i.large": 0.141, "r6i.xlarge": 0.282, "r6i.2xlarge": 0.564, "r6i.4xlarge": 1.128, "r6i.8xlarge": 2.256, "r6i.12xlarge": 3.384, "r6i.16xlarge": 4.512, "r6i.24xlarge": 6.768,
                },
            }, {
                source: "ec2BurstablePage",
                usd: { "t3.small": 0.0228, "t3.medium": 0.0456, "t3.large": 0.0912, "t3.xlarge": 0.1824, "t3.2xlarge": 0.3648 },
            }],
            elasticacheHourly: [],
            rdsMysqlHourly: [],
            units: {
                ...GLOBAL,
                ebsGp3GbMonth: { usd: 0.088, source: "ebs" },
                ebsGp2GbMonth: { usd: 0.11, source: "ebs" },
                albHour: { usd: 0.0252, source: "elbPublished" },
                albLcuHour: { usd: 0.008, source: "elb" },
                nlbHour: { usd: 0.0252, source: "elb" },
                nlbNlcuHour: { usd: 0.006, source: "elb" },
                natHour: { usd: 0.048, source: "nat" },
                natGb: { usd: 0.048, source: "nat" },
                rdsGp3GbMonth: { usd: 0.127, source: "rdsPage" },
                rdsGp2GbMonth: { usd: 0.127, source: "rdsPage" },
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
                source: "ec2Page",
                usd: {
                "c5.large": 0.097, "c5.xlarge": 0.194, "c5.2xlarge": 0.388, "c5.4xlarge": 0.776, "c5.9xlarge": 1.746, "c5.12xlarge": 2.328, "c5.18xlarge": 3.492, "c5.24xlarge": 4.656,
                "c6i.large": 0.097, "c6i.xlarge": 0.194, "c6i.2xlarge": 0.388, "c6i.4xlarge": 0.776, "c6i.8xlarge": 1.552, "c6i.12xlarge": 2.328, "c6i.16xlarge": 3.104, "c6i.24xlarge": 4.656,
                "m5.large": 0.115, "m5.xlarge": 0.23, "m5.2xlarge": 0.46, "m5.4xlarge": 0.92, "m5.8xlarge": 1.84, "m5.12xlarge": 2.76, "m5.16xlarge": 3.68, "m5.24xlarge": 5.52,
                "m6i.large": 0.115, "m6i.xlarge": 0.23, "m6i.2xlarge": 0.46, "m6i.4xlarge": 0.92, "m6i.8xlarge": 1.84, "m6i.12xlarge": 2.76, "m6i.16xlarge": 3.68, "m6i.24xlarge": 5.52,
                "r5.large": 0.152, "r5.xlarge": 0.304, "r5.2xlarge": 0.608, "r5.4xlarge": 1.216, "r5.8xlarge": 2.432, "r5.12xlarge": 3.648, "r5.16xlarge": 4.864, "r5.24xlarge": 7.296,
                "r6i.large": 0.152, "r6i.xlarge": 0.304, "r6i.2xlarge": 0.608, "r6i.4xlarge": 1.216, "r6i.8xlarge": 2.432, "r6i.12xlarge": 3.648, "r6i.16xlarge": 4.864, "r6i.24xlarge": 7.296,
                },
            }, {
                source: "ec2BurstablePage",
                usd: { "t3.small": 0.024, "t3.medium": 0.048, "t3.large": 0.096, "t3.xlarge": 0.192, "t3.2xlarge": 0.384 },
            }],
            elasticacheHourly: [],
            rdsMysqlHourly: [],
            units: {
                ...GLOBAL,
                ebsGp3GbMonth: { usd: 0.0952, source: "ebs" },
                ebsGp2GbMonth: { usd: 0.119, source: "ebs" },
                natHour: { usd: 0.052, source: "nat" },
                natGb: { usd: 0.052, source: "nat" },
                rdsGp3GbMonth: { usd: 0.137, source: "rdsPage" },
                rdsGp2GbMonth: { usd: 0.137, source: "rdsPage" },
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
