import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isIpv6Cidr } from "../lib/cidr";
import { denyInsecureTransport } from "../lib/iam";
import { IPV4_ANYWHERE, IPV6_ANYWHERE, listenerRules, loadBalancerIngressCidrs, openToInternet, OptionalCollectorPaths, RulePlan } from "../lib/exposure";
import { isLogRetention, LOG_RETENTION_DAYS, WAF_LOG_GROUP_PREFIX } from "../lib/logs";
import { ruleDescription } from "../lib/securityGroups";
import { named, TIER_TAG } from "../lib/tags";
import type { Exposure, TierName, TierServing } from "../lib/tiers";
import { privateBucket } from "./privateBucket";

/** TLS 1.3 and 1.2 only; AWS's default for new HTTPS listeners is still the 2016 policy. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const DEFAULT_WAF_RATE_LIMIT = 2000;
/** AWS WAF's bounds for a rate-based rule's limit. */
export const WAF_RATE_LIMIT_RANGE = [10, 2_000_000_000] as const;
/**
 * Pulumi names a load balancer or target group `<logical name>-<7 random characters>` and AWS
 * allows 32, so the component's name may have at most 16 for `<name>-pub-lb0`.
 */
export const MAX_EDGE_NAME_LENGTH = 16;
const DEFAULT_WAF_LOG_RETENTION_DAYS = 90;
/**
 * Request headers kept out of the WAF logs: the operators' bearer tokens and every cookie. WAF wants
 * header names in lower case (WebAclLoggingConfiguration, redactedFields.singleHeader.name).
 */
const WAF_REDACTED_HEADERS = ["authorization", "cookie"];

const ABBREVIATIONS: Record<TierName, string> = { "public-api": "pub", "internal-api": "int", gui: "gui", api: "api" };

export interface EdgeTier {
    name: TierName;
    /** Fully qualified host name inside `zone`. */
    host: string;
    /** Where the tier's servers take requests, and the health check that says which servers should. */
    serving: TierServing;
    /** Auto Scaling group of the tier's servers. */
    autoScalingGroupName: pulumi.Input<string>;
    /** Security group of the tier's servers: it admits the serving ports from the tier's load balancers. */
    serverSecurityGroupId: pulumi.Input<string>;
    exposure: Exposure;
}

export interface EdgeArgs {
    vpcId: pulumi.Input<string>;
    /** One public subnet per zone; every load balancer spans them all. */
    publicSubnetIds: pulumi.Input<string>[];
    tiers: EdgeTier[];
    /** Independent load balancers per cluster, each behind its own weighted DNS record. */
    perCluster: number;
    /** Networks that reach the GUI, the GUI-facing API and, in the minimal profile, every API path. */
    trustedCidrs: string[];
    /** Route53 public hosted zone holding every host. */
    zone: string;
    /** An existing ACM certificate covering every host. @default undefined: one is issued and DNS-validated */
    certificateArn?: string;
    /** Internal load balancers for the trusted-only clusters, for customers who reach the VPC privately. @default false */
    internal?: boolean;
    /** Requests per 5 minutes one client IP may send to a public load balancer. @default 2000 */
    wafRateLimit?: number;
    /** Days to keep the WAF's request logs (a CloudWatch Logs retention period). @default 90 */
    wafLogRetentionDays?: number;
    /** Optional public paths. @default { widget: false, consent: false } */
    optionalCollectorPaths?: OptionalCollectorPaths;
    /** Days to keep load-balancer access logs. @default 90 */
    accessLogRetentionDays?: number;
    /**
     * Seconds a load balancer of a GUI-facing cluster keeps a quiet connection: longer than the
     * API's longest search query, so a slow GUI request (installation, mapping updates) is not cut
     * at the load balancer's 60 s default with a 504 while the API still works. @default 60
     */
    guiIdleTimeoutSeconds?: number;
    /** AWS refuses to delete the load balancers. @default true */
    deletionProtection?: boolean;
    tags: Record<string, string>;
}

export interface EdgeLoadBalancer {
    tier: TierName;
    index: number;
    arn: pulumi.Output<string>;
    dnsName: pulumi.Output<string>;
    /** The tier's load-balancer security group, shared by its load balancers. */
    securityGroupId: pulumi.Output<string>;
}

function argsError(propertyPath: string, reason: string): Error {
    return new pulumi.InputPropertyError({ propertyPath, reason: `${propertyPath} ${reason}` });
}

function checkArgs(name: string, args: EdgeArgs): void {
    if (name.length > MAX_EDGE_NAME_LENGTH) {
        throw new Error(`Edge name "${name}" is longer than ${MAX_EDGE_NAME_LENGTH} characters: load balancer names would pass AWS's 32`);
    }
    if (!Number.isInteger(args.perCluster) || args.perCluster < 1) {
        throw argsError("perCluster", `must be a positive integer, got ${args.perCluster}`);
    }
    if (args.publicSubnetIds.length < 2) {
        throw argsError("publicSubnetIds", "an Application Load Balancer needs subnets in at least two zones");
    }
    if (args.tiers.length === 0) {
        throw argsError("tiers", "must name at least one cluster");
    }
    for (const key of ["name", "host"] as const) {
        const values = args.tiers.map((t) => t[key]);
        const repeated = values.find((v, i) => values.indexOf(v) !== i);
        if (repeated) {
            throw argsError(`tiers.${key}`, `"${repeated}" appears twice`);
        }
    }
    for (const tier of args.tiers) {
        if (tier.host !== args.zone && !tier.host.endsWith(`.${args.zone}`)) {
            throw argsError(`tiers.${tier.name}.host`, `${tier.host} lies outside the zone ${args.zone}`);
        }
    }
    const limit = args.wafRateLimit ?? DEFAULT_WAF_RATE_LIMIT;
    if (!Number.isInteger(limit) || limit < WAF_RATE_LIMIT_RANGE[0] || limit > WAF_RATE_LIMIT_RANGE[1]) {
        throw argsError("wafRateLimit", `must be an integer from ${WAF_RATE_LIMIT_RANGE[0]} to ${WAF_RATE_LIMIT_RANGE[1]}, got ${limit}`);
    }
    const retention = args.wafLogRetentionDays ?? DEFAULT_WAF_LOG_RETENTION_DAYS;
    if (!isLogRetention(retention)) {
        throw argsError("wafLogRetentionDays", `must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(", ")}), got ${retention}`);
    }
}

/** Whom a load-balancer ingress rule admits and why, e.g. "HTTPS from trusted network 203.0.113.0/24 to the gui load balancers". */
function loadBalancerIngressDescription(tier: TierName, port: number, cidr: string): string {
    const internet = cidr === IPV4_ANYWHERE || cidr === IPV6_ANYWHERE;
    const who = internet ? `the Internet (any ${cidr === IPV4_ANYWHERE ? "IPv4" : "IPv6"} address)` : `trusted network ${cidr}`;
    const what = port === 443 ? "HTTPS" : port === 80 ? "HTTP (redirected to HTTPS)" : `tcp ${port}`;
    const why = internet ? ": the collector paths are public, listener rules keep every other path to the trusted networks" : "";
    return `${what} from ${who} to the ${tier} load balancers${why}`;
}

/** `10.0.0.0/8` -> `10-0-0-0_8`: a CIDR as part of a resource name that survives reordering. */
function cidrKey(cidr: string): string {
    return cidr.replace(/[.:]/g, "-").replace("/", "_");
}

/**
 * The edge of the stack: per cluster `perCluster` Application Load Balancers terminating TLS,
 * weighted Route53 aliases spreading clients over them, the listener rules that decide which
 * paths each client may reach, a WAF on the Internet-facing ones, and their access logs.
 */
export class Edge extends pulumi.ComponentResource {
    /** `https://<host>` of each cluster. */
    readonly urls: Partial<Record<TierName, string>>;
    readonly loadBalancers: EdgeLoadBalancer[] = [];
    readonly certificateArn: pulumi.Output<string>;
    readonly accessLogBucket: pulumi.Output<string>;
    readonly webAclArn?: pulumi.Output<string>;
    /** The CloudWatch Logs group of the WAF's request logs. */
    readonly wafLogGroup?: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        checkArgs(name, args);
        super("tracardi:edge:Edge", name, {}, opts);
        const parent = { parent: this };

        const zoneId = aws.route53.getZoneOutput({ name: args.zone, privateZone: false }, parent).zoneId;
        const logs = this.accessLogs(name, args);
        this.accessLogBucket = logs.bucket;
        this.certificateArn = args.certificateArn
            ? pulumi.output(args.certificateArn)
            : this.certificate(name, args, zoneId);
        const webAcl = args.tiers.some((t) => openToInternet(t.exposure)) ? this.webAcl(name, args) : undefined;
        this.webAclArn = webAcl?.arn;
        this.wafLogGroup = webAcl && this.wafLogging(name, args, webAcl);

        for (const tier of args.tiers) {
            this.tier(name, args, tier, { zoneId, webAcl, logsReady: logs.ready });
        }
        this.urls = Object.fromEntries(args.tiers.map((t) => [t.name, `https://${t.host}`]));

        this.registerOutputs({
            urls: this.urls,
            loadBalancers: this.loadBalancers,
            certificateArn: this.certificateArn,
            accessLogBucket: this.accessLogBucket,
            webAclArn: this.webAclArn,
            wafLogGroup: this.wafLogGroup,
        });
    }

    /**
     * The WAF's request logs in CloudWatch Logs, for as long as configured, without credentials.
     * On the first PutLoggingConfiguration WAF adds the log group to the account's resource policy
     * AWSWAF-LOGS, which lets log delivery write to it (WAF Developer Guide, "Sending web ACL traffic
     * logs to an Amazon CloudWatch Logs log group").
     */
    private wafLogging(name: string, args: EdgeArgs, webAcl: aws.wafv2.WebAcl): pulumi.Output<string> {
        const parent = { parent: this };
        // A prefix, not a name: log group names are unique per account and region, and each stack has its own.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-waf-logs`, {
            namePrefix: `${WAF_LOG_GROUP_PREFIX}${name}-`,
            retentionInDays: args.wafLogRetentionDays ?? DEFAULT_WAF_LOG_RETENTION_DAYS,
            tags: args.tags,
        }, parent);
        new aws.wafv2.WebAclLoggingConfiguration(`${name}-waf-logs`, {
            resourceArn: webAcl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
        }, parent);
        return logGroup.name;
    }

    /** An encrypted, private bucket the load balancers write their access logs to. */
    private accessLogs(name: string, args: EdgeArgs): { bucket: pulumi.Output<string>; ready: pulumi.Resource[] } {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const { bucket, ready } = privateBucket(`${name}-lb-logs`, {
            // Load balancers can deliver logs only to buckets encrypted with S3-managed keys.
            encryption: { sseAlgorithm: "AES256" },
            // Logs expire anyway; without this the bucket, never empty, would stop `pulumi destroy`.
            forceDestroy: true,
            versioned: false,
            lifecycleRule: {
                id: "expire-access-logs",
                status: "Enabled",
                filter: {},
                expiration: { days: args.accessLogRetentionDays ?? 90 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            policy: (bucketArn) => pulumi.all([bucketArn, account]).apply(([arn, accountId]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "LoadBalancerLogDelivery",
                        Effect: "Allow",
                        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: args.tiers.map((t) => `${arn}/${t.name}/AWSLogs/${accountId}/*`),
                    },
                    denyInsecureTransport(arn),
                ],
            })),
            tags: args.tags,
        }, this);
        // A load balancer checks that it can write to the bucket when logging is turned on.
        return { bucket: bucket.bucket, ready };
    }

    /** One certificate for every host, validated through the stack's zone. */
    private certificate(name: string, args: EdgeArgs, zoneId: pulumi.Output<string>): pulumi.Output<string> {
        const parent = { parent: this };
        const [first, ...others] = args.tiers.map((t) => t.host);
        const certificate = new aws.acm.Certificate(`${name}-cert`, {
            domainName: first,
            subjectAlternativeNames: others,
            validationMethod: "DNS",
            tags: args.tags,
        }, parent);
        const records = args.tiers.map((tier) => {
            const option = certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === tier.host);
                if (!found) {
                    throw new Error(`ACM returned no validation record for ${tier.host}`);
                }
                return found;
            });
            return new aws.route53.Record(`${name}-${tier.name}-validation`, {
                zoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 60,
                // The record is the same for every certificate of this host in the account.
                allowOverwrite: true,
            }, parent);
        });
        return new aws.acm.CertificateValidation(`${name}-cert`, {
            certificateArn: certificate.arn,
            validationRecordFqdns: records.map((r) => r.fqdn),
        }, parent).certificateArn;
    }

    /** Rate limit per client IP plus AWS's common rule set, for the Internet-facing load balancers. */
    private webAcl(name: string, args: EdgeArgs): aws.wafv2.WebAcl {
        const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
        // Where operators use the public load balancer too (the minimal profile), their requests
        // skip the rules: the GUI API carries flow code and templates the common rules block.
        const operatorsBehindWaf = args.tiers.some((t) => t.exposure === "collector-and-trusted");
        const families = (["IPV4", "IPV6"] as const)
            .map((family) => ({ family, addresses: args.trustedCidrs.filter((c) => isIpv6Cidr(c) === (family === "IPV6")) }))
            .filter(({ addresses }) => operatorsBehindWaf && addresses.length > 0);
        const allowTrusted = families.map(({ family, addresses }, i) => {
            const ipSet = new aws.wafv2.IpSet(`${name}-trusted-${family.toLowerCase()}`, {
                scope: "REGIONAL", ipAddressVersion: family, addresses, tags: args.tags,
            }, { parent: this });
            return {
                name: `allow-trusted-${family.toLowerCase()}`,
                priority: i,
                action: { allow: {} },
                statement: { ipSetReferenceStatement: { arn: ipSet.arn } },
                visibilityConfig: visibility(`${name}-trusted-${family.toLowerCase()}`),
            };
        });
        return new aws.wafv2.WebAcl(`${name}-waf`, {
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: [
                ...allowTrusted,
                {
                    name: "rate-limit-per-client-ip",
                    priority: 10,
                    action: { block: {} },
                    statement: {
                        rateBasedStatement: {
                            limit: args.wafRateLimit ?? DEFAULT_WAF_RATE_LIMIT,
                            aggregateKeyType: "IP",
                            evaluationWindowSec: 300,
                        },
                    },
                    visibilityConfig: visibility(`${name}-rate-limit`),
                },
                {
                    name: "aws-common-rule-set",
                    priority: 11,
                    overrideAction: { none: {} },
                    statement: {
                        managedRuleGroupStatement: {
                            vendorName: "AWS",
                            name: "AWSManagedRulesCommonRuleSet",
                            // Tracking payloads (events with context and properties) routinely pass
                            // the 8 KB body limit, redirect links carry long query strings, and
                            // server-side collectors often send no User-Agent: count those, not block.
                            ruleActionOverrides: ["SizeRestrictions_BODY", "SizeRestrictions_QUERYSTRING", "NoUserAgent_HEADER"]
                                .map((rule) => ({ name: rule, actionToUse: { count: {} } })),
                        },
                    },
                    visibilityConfig: visibility(`${name}-common`),
                },
            ],
            visibilityConfig: visibility(`${name}-waf`),
            tags: args.tags,
        }, { parent: this });
    }

    private tier(name: string, args: EdgeArgs, tier: EdgeTier,
        shared: { zoneId: pulumi.Output<string>; webAcl?: aws.wafv2.WebAcl; logsReady: pulumi.Resource[] }): void {
        const parent = { parent: this };
        const prefix = `${name}-${tier.name}`;
        const tags = { ...args.tags, [TIER_TAG]: tier.name };

        const lbGroup = new aws.ec2.SecurityGroup(`${prefix}-lb`, {
            vpcId: args.vpcId,
            description: `Load balancers of the Tracardi ${tier.name} cluster`,
            tags: named(tags, `${prefix}-lb`),
        }, parent);
        for (const cidr of loadBalancerIngressCidrs(tier.exposure, args.trustedCidrs)) {
            for (const port of [80, 443]) {
                const ruleName = `${prefix}-lb-${port}-${cidrKey(cidr)}`;
                new aws.vpc.SecurityGroupIngressRule(ruleName, {
                    securityGroupId: lbGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    ...(isIpv6Cidr(cidr) ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                    description: ruleDescription(ruleName, loadBalancerIngressDescription(tier.name, port, cidr)),
                    tags,
                }, parent);
            }
        }
        const { serving } = tier;
        // One rule a port: AWS refuses a second identical rule, as when the health check uses the serving port.
        const serverPorts: [suffix: string, port: number, why: string][] = [
            ["", serving.port, `port ${serving.port}, which serves the requests they forward`],
            ...(serving.healthCheck.port === serving.port ? [] : [
                ["-health", serving.healthCheck.port, `health check port ${serving.healthCheck.port}, which tells them which servers serve`],
            ] as [string, number, string][]),
        ];
        for (const [suffix, port, why] of serverPorts) {
            new aws.vpc.SecurityGroupEgressRule(`${prefix}-lb-to-servers${suffix}`, {
                securityGroupId: lbGroup.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: tier.serverSecurityGroupId,
                description: ruleDescription(`${prefix}-lb-to-servers${suffix}`,
                    `To the ${tier.name} servers only: the load balancers reach their ${why}`),
                tags,
            }, parent);
            new aws.vpc.SecurityGroupIngressRule(`${prefix}-servers-from-lb${suffix}`, {
                securityGroupId: tier.serverSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: lbGroup.id,
                description: ruleDescription(`${prefix}-servers-from-lb${suffix}`,
                    `From the ${tier.name} load balancers only: ${why}`),
                tags,
            }, parent);
        }

        const rules = listenerRules(tier.exposure, args.trustedCidrs, args.optionalCollectorPaths);
        const internal = args.internal === true && tier.exposure === "trusted";
        for (let index = 0; index < args.perCluster; index++) {
            const lb = new aws.lb.LoadBalancer(`${name}-${ABBREVIATIONS[tier.name]}-lb${index}`, {
                loadBalancerType: "application",
                internal,
                subnets: args.publicSubnetIds,
                securityGroups: [lbGroup.id],
                // The public subnets have IPv6, so IPv6 clients and trusted IPv6 networks get in.
                ipAddressType: "dualstack",
                enableDeletionProtection: args.deletionProtection ?? true,
                dropInvalidHeaderFields: true,
                ...(tier.exposure === "collector" ? {} : { idleTimeout: args.guiIdleTimeoutSeconds ?? 60 }),
                accessLogs: { bucket: this.accessLogBucket, prefix: tier.name, enabled: true },
                tags: named(tags, `${prefix}-${index}`),
            }, { parent: this, dependsOn: shared.logsReady });
            this.loadBalancers.push({ tier: tier.name, index, arn: lb.arn, dnsName: lb.dnsName, securityGroupId: lbGroup.id });
            this.listeners(name, args, tier, index, lb, rules, tags);
            if (shared.webAcl && openToInternet(tier.exposure)) {
                new aws.wafv2.WebAclAssociation(`${prefix}-${index}-waf`, { resourceArn: lb.arn, webAclArn: shared.webAcl.arn }, parent);
            }
            for (const type of ["A", "AAAA"]) {
                new aws.route53.Record(`${prefix}-${index}${type === "A" ? "" : "-v6"}`, {
                    zoneId: shared.zoneId,
                    name: tier.host,
                    type,
                    setIdentifier: `${tier.name}-${index}`,
                    // Equal weights spread clients; a load balancer without healthy targets drops out.
                    weightedRoutingPolicies: [{ weight: 100 }],
                    aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
                }, parent);
            }
        }
    }

    /** Target group, HTTP redirect, HTTPS listener and its rules of one load balancer. */
    private listeners(name: string, args: EdgeArgs, tier: EdgeTier, index: number, lb: aws.lb.LoadBalancer,
        rules: RulePlan[], tags: Record<string, string>): void {
        const parent = { parent: this };
        const prefix = `${name}-${tier.name}-${index}`;
        // A target group serves one load balancer, so each gets its own, all on the tier's servers.
        const targets = new aws.lb.TargetGroup(`${name}-${ABBREVIATIONS[tier.name]}-tg${index}`, {
            vpcId: args.vpcId,
            targetType: "instance",
            port: tier.serving.port,
            protocol: "HTTP",
            loadBalancingAlgorithmType: "round_robin",
            stickiness: { type: "lb_cookie", enabled: false },
            // Compute's answer for the server (on EKS kube-proxy's, which turns 503 when the server's
            // pod starts terminating: the server leaves rotation within two checks while the pod
            // still serves its preStop sleep).
            healthCheck: {
                enabled: true,
                path: tier.serving.healthCheck.path,
                protocol: "HTTP",
                port: String(tier.serving.healthCheck.port),
                matcher: "200",
                interval: tier.serving.healthCheck.intervalSeconds ?? 5,
                timeout: tier.serving.healthCheck.timeoutSeconds ?? 2,
                healthyThreshold: 2,
                unhealthyThreshold: tier.serving.healthCheck.unhealthyThreshold ?? 2,
            },
            // Requests under way on a server leaving the group (scale-in, replacement) may finish.
            deregistrationDelay: 60,
            tags: named(tags, prefix),
        }, parent);
        new aws.autoscaling.Attachment(prefix, {
            autoscalingGroupName: tier.autoScalingGroupName,
            lbTargetGroupArn: targets.arn,
        }, parent);

        new aws.lb.Listener(`${prefix}-http`, {
            loadBalancerArn: lb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags,
        }, parent);
        const https = new aws.lb.Listener(`${prefix}-https`, {
            loadBalancerArn: lb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: this.certificateArn,
            defaultActions: [{
                type: "fixed-response",
                fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" },
            }],
            routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
            tags,
        }, parent);
        for (const rule of rules) {
            new aws.lb.ListenerRule(`${prefix}-rule-${rule.priority}`, {
                listenerArn: https.arn,
                priority: rule.priority,
                actions: [{ type: "forward", targetGroupArn: targets.arn }],
                conditions: [
                    ...(rule.pathPatterns ? [{ pathPattern: { values: rule.pathPatterns } }] : []),
                    ...(rule.sourceIps ? [{ sourceIp: { values: rule.sourceIps } }] : []),
                ],
                tags,
            }, parent);
        }
    }
}
