import * as assert from "assert";
import { DRAIN_SECONDS } from "../lib/manifests";
import * as pulumi from "@pulumi/pulumi";
import { Edge, EdgeArgs, TLS_POLICY } from "../components/edge";
import { isForwarded, publicPathPatterns, RulePlan } from "../lib/exposure";
import { recordResources } from "../offline/harness";
import { ACCOUNT, RecordedResource } from "../offline/mocks";
import { ofType, owningComponent } from "../offline/query";
import { ruleDescriptionProblem } from "../lib/securityGroups";
import type { TierName } from "../lib/tiers";
import { planOf } from "./helpers/plans";

const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

const ZONE = "cdp.example.com";
/** Six networks: the trusted rules come in a chunk of five and a chunk of one. */
const TRUSTED = ["203.0.113.0/24", "2001:db8:1000::/48", "198.51.100.10/32", "192.0.2.0/28", "192.0.2.64/28", "2001:db8:2000::/48"];
const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** A tier whose servers answer on `port` and report their health on `port + 2000` at a path of their own. */
function tier(name: TierName, host: string, port: number, exposure: EdgeArgs["tiers"][number]["exposure"]) {
    return {
        name, host: `${host}.${ZONE}`, exposure,
        serving: { port, healthCheck: { port: port + 2000, path: `/health-of-${name}` } },
        autoScalingGroupName: `asg-${name}`,
        serverSecurityGroupId: `sg-servers-${name}`,
    };
}

function productionArgs(extra: Partial<EdgeArgs> = {}): EdgeArgs {
    return {
        vpcId: "vpc-test",
        publicSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        tiers: [tier("public-api", "track", 30080, "collector"), tier("internal-api", "api", 30081, "trusted"), tier("gui", "gui", 30082, "trusted")],
        perCluster: 2,
        trustedCidrs: TRUSTED,
        zone: ZONE,
        wafRateLimit: 1500,
        tags: { "tracardi:stack": "test" },
        ...extra,
    };
}

function minimalArgs(trustedCidrs: string[]): EdgeArgs {
    return {
        ...productionArgs(),
        tiers: [tier("api", "api", 30080, "collector-and-trusted"), tier("gui", "gui", 30082, "trusted")],
        perCluster: 1,
        trustedCidrs,
    };
}

interface Built {
    edge: Edge;
    resources: RecordedResource[];
    lbs: { tier: TierName; index: number; arn: string; dnsName: string; securityGroupId: string; resource: RecordedResource }[];
}

async function build(name: string, args: EdgeArgs): Promise<Built> {
    const { result: edge, resources } = await recordResources(() => new Edge(name, args));
    const lbResources = ofType(resources, "aws:lb/loadBalancer:LoadBalancer");
    const lbs = await Promise.all(edge.loadBalancers.map(async (lb) => {
        const arn = await value(lb.arn);
        return {
            tier: lb.tier, index: lb.index, arn, dnsName: await value(lb.dnsName), securityGroupId: await value(lb.securityGroupId),
            resource: lbResources.find((r) => refersTo(arn, r))!,
        };
    }));
    return { edge, resources, lbs };
}

/** The offline mocks put a resource's name in its ARN: `.../<name>/<id>` or `...:<name>/<id>`. */
function refersTo(arn: unknown, resource: RecordedResource): boolean {
    return typeof arn === "string" && (arn.includes(`/${resource.name}/`) || arn.includes(`:${resource.name}/`));
}

const inputs = (r: RecordedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function listenersOf(b: Built, lbArn: string): RecordedResource[] {
    return ofType(b.resources, "aws:lb/listener:Listener").filter((l) => inputs(l).loadBalancerArn === lbArn);
}

function httpsListener(b: Built, lbArn: string): RecordedResource {
    return listenersOf(b, lbArn).find((l) => inputs(l).port === 443)!;
}

function rulesOf(b: Built, listener: RecordedResource): RecordedResource[] {
    return ofType(b.resources, "aws:lb/listenerRule:ListenerRule").filter((r) => refersTo(inputs(r).listenerArn, listener));
}

/** The recorded rules as the exposure module models them, to ask what they forward. */
function asPlan(rules: RecordedResource[]): RulePlan[] {
    return [...rules].sort((x, y) => inputs(x).priority - inputs(y).priority).map((r) => {
        const conditions = inputs(r).conditions as { pathPattern?: { values: string[] }; sourceIp?: { values: string[] } }[];
        return {
            priority: inputs(r).priority,
            pathPatterns: conditions.find((c) => c.pathPattern)?.pathPattern?.values,
            sourceIps: conditions.find((c) => c.sourceIp)?.sourceIp?.values,
        };
    });
}

function ingressRulesOf(b: Built, securityGroupId: string): Record<string, any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return ofType(b.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(inputs)
        .filter((r) => r.securityGroupId === securityGroupId);
}

describe("Edge with the production tiers", function () {
    let b: Built;
    before(async () => {
        b = await build("edge", productionArgs());
    });

    it("hangs every resource under the Edge component, with parent set", () => {
        const [root, ...children] = b.resources;
        assert.strictEqual(root.type, "tracardi:edge:Edge");
        for (const child of children) {
            assert.ok(child.parent, `${child.name} has no parent`);
            assert.strictEqual(owningComponent(b.resources, child)?.urn, root.urn, `${child.name} is outside the Edge`);
        }
    });

    it("runs perCluster deletion-protected, logging load balancers per cluster across every public subnet", async () => {
        const bucket = await value(b.edge.accessLogBucket);
        const [bucketPolicy] = ofType(b.resources, "aws:s3/bucketPolicy:BucketPolicy");
        assert.deepStrictEqual(b.lbs.map((lb) => `${lb.tier}-${lb.index}`),
            ["public-api-0", "public-api-1", "internal-api-0", "internal-api-1", "gui-0", "gui-1"]);
        for (const lb of b.lbs) {
            const lbInputs = inputs(lb.resource);
            assert.strictEqual(lbInputs.loadBalancerType, "application");
            assert.strictEqual(lbInputs.tags["tracardi:tier"], lb.tier);
            assert.strictEqual(lbInputs.enableDeletionProtection, true);
            assert.strictEqual(lbInputs.dropInvalidHeaderFields, true);
            assert.strictEqual(lbInputs.internal, false);
            assert.strictEqual(lbInputs.ipAddressType, "dualstack", "IPv6 trusted networks could not reach it");
            assert.deepStrictEqual(lbInputs.subnets, ["subnet-a", "subnet-b", "subnet-c"]);
            assert.deepStrictEqual(lbInputs.securityGroups, [lb.securityGroupId]);
            assert.deepStrictEqual(lbInputs.accessLogs, { bucket, prefix: lb.tier, enabled: true });
            // AWS refuses to turn logging on until the bucket policy lets the load balancer write.
            assert.ok(lb.resource.dependsOn.includes(bucketPolicy.urn));
        }
        assert.notStrictEqual(b.lbs[0].securityGroupId, b.lbs[2].securityGroupId, "clusters share a load-balancer security group");
    });

    it("redirects HTTP to HTTPS with a 301 and terminates TLS 1.3/1.2 with the validated certificate, 404 by default", async () => {
        const certificateArn = await value(b.edge.certificateArn);
        const [validation] = ofType(b.resources, "aws:acm/certificateValidation:CertificateValidation");
        assert.strictEqual(inputs(validation).certificateArn, certificateArn);
        for (const lb of b.lbs) {
            const listeners = listenersOf(b, lb.arn).map(inputs).sort((x, y) => x.port - y.port);
            assert.deepStrictEqual(listeners.map((l) => [l.port, l.protocol]), [[80, "HTTP"], [443, "HTTPS"]]);
            const [http, https] = listeners;
            assert.deepStrictEqual(http.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            assert.strictEqual(https.sslPolicy, TLS_POLICY);
            assert.strictEqual(TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.strictEqual(https.certificateArn, certificateArn);
            assert.strictEqual(https.routingHttpResponseStrictTransportSecurityHeaderValue, "max-age=31536000");
            assert.deepStrictEqual(https.defaultActions, [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" } }]);
            // The listener waits for the certificate to be validated, not merely requested.
            assert.ok(httpsListener(b, lb.arn).dependsOn.includes(validation.urn));
        }
    });

    it("forwards only the collector paths on the public API; /install and the log endpoints get the 404", () => {
        for (const lb of b.lbs.filter((l) => l.tier === "public-api")) {
            const rules = rulesOf(b, httpsListener(b, lb.arn));
            const plan = asPlan(rules);
            assert.deepStrictEqual(plan.flatMap((r) => r.pathPatterns), publicPathPatterns());
            assert.ok(plan.every((r) => !r.sourceIps), "the public API has source-restricted rules");
            for (const path of ["/track", "/tracker/liliput.min.js", "/collect/page-view/src", "/redirect/x"]) {
                assert.ok(isForwarded(plan, path), `${path} is not forwarded`);
            }
            for (const path of ["/install", "/event/logs/1", "/node/logs/1", "/flow/logs/1", "/user/token", "/", "/docs"]) {
                assert.ok(!isForwarded(plan, path) && !isForwarded(plan, path, TRUSTED[0]), `${path} is forwarded`);
            }
            const targetGroup = ofType(b.resources, "aws:lb/targetGroup:TargetGroup").find((t) => t.name === `edge-pub-tg${lb.index}`)!;
            for (const rule of rules) {
                assert.deepStrictEqual(inputs(rule).actions.map((a: { type: string }) => a.type), ["forward"]);
                assert.ok(refersTo(inputs(rule).actions[0].targetGroupArn, targetGroup), `${rule.name} forwards elsewhere`);
            }
        }
    });

    it("forwards any path on the internal API and the GUI, but only from the trusted networks, <= 5 per rule", () => {
        for (const lb of b.lbs.filter((l) => l.tier !== "public-api")) {
            const plan = asPlan(rulesOf(b, httpsListener(b, lb.arn)));
            assert.deepStrictEqual(plan.map((r) => r.sourceIps?.length), [5, 1]);
            assert.deepStrictEqual(plan.flatMap((r) => r.sourceIps), TRUSTED);
            assert.ok(plan.every((r) => !r.pathPatterns));
            assert.ok(!isForwarded(plan, "/"), "an Internet client is forwarded");
            assert.ok(TRUSTED.every((cidr) => isForwarded(plan, "/install", cidr)));
        }
    });

    it("admits neither 0.0.0.0/0 nor ::/0 in any GUI or internal-API security group or rule", () => {
        const closed = b.lbs.filter((l) => l.tier !== "public-api");
        const groups = [...new Set(closed.map((l) => l.securityGroupId)), "sg-servers-internal-api", "sg-servers-gui"];
        const rules = groups.flatMap((g) => ingressRulesOf(b, g));
        assert.ok(rules.length > 0);
        for (const rule of rules) {
            assert.ok(!ANYWHERE.includes(rule.cidrIpv4) && !ANYWHERE.includes(rule.cidrIpv6), JSON.stringify(rule));
        }
        for (const group of ofType(b.resources, "aws:ec2/securityGroup:SecurityGroup")) {
            assert.strictEqual(inputs(group).ingress, undefined, `${group.name} has inline rules`);
        }
        for (const lb of closed.filter((l) => l.index === 0)) {
            const admitted = ingressRulesOf(b, lb.securityGroupId).map((r) => `${r.fromPort}-${r.toPort} ${r.cidrIpv4 ?? ""}|${r.cidrIpv6 ?? ""}`);
            const expected = TRUSTED.flatMap((c) => [80, 443].map((p) => `${p}-${p} ${c.includes(":") ? `|${c}` : `${c}|`}`));
            assert.deepStrictEqual(admitted.sort(), expected.sort());
        }
    });

    it("opens the public API's load balancers to the Internet on 80 and 443 only", () => {
        const group = b.lbs.find((l) => l.tier === "public-api")!.securityGroupId;
        const admitted = ingressRulesOf(b, group).map((r) => `${r.ipProtocol} ${r.fromPort}-${r.toPort} ${r.cidrIpv4 ?? r.cidrIpv6}`);
        assert.deepStrictEqual(admitted.sort(), ["tcp 443-443 0.0.0.0/0", "tcp 443-443 ::/0", "tcp 80-80 0.0.0.0/0", "tcp 80-80 ::/0"]);
    });

    it("lets each tier's servers take the tier port and its health check port from that tier's load balancers only, and nothing else out", () => {
        for (const t of productionArgs().tiers) {
            const group = b.lbs.find((l) => l.tier === t.name)!.securityGroupId;
            const expected = [t.serving.port, t.serving.healthCheck.port];
            assert.deepStrictEqual(ingressRulesOf(b, t.serverSecurityGroupId as string).map((r) =>
                [r.referencedSecurityGroupId, r.fromPort, r.toPort, r.cidrIpv4, r.cidrIpv6]), expected.map((p) => [group, p, p, undefined, undefined]));
            const egress = ofType(b.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map(inputs)
                .filter((r) => r.securityGroupId === group);
            assert.deepStrictEqual(egress.map((r) => [r.referencedSecurityGroupId, r.fromPort, r.toPort]), expected.map((p) => [t.serverSecurityGroupId, p, p]));
        }
    });

    it("gives each load balancer a target group on the tier's servers: round robin, no stickiness, health-checked, on the ASG", () => {
        const groups = ofType(b.resources, "aws:lb/targetGroup:TargetGroup");
        const attachments = ofType(b.resources, "aws:autoscaling/attachment:Attachment").map(inputs);
        assert.strictEqual(groups.length, b.lbs.length);
        for (const t of productionArgs().tiers) {
            const mine = groups.filter((g) => g.name.startsWith(`edge-${{ "public-api": "pub", "internal-api": "int", gui: "gui" }[t.name as string]}-tg`));
            assert.strictEqual(mine.length, 2);
            for (const group of mine) {
                const g = inputs(group);
                assert.deepStrictEqual([g.targetType, g.port, g.protocol, g.loadBalancingAlgorithmType, g.vpcId],
                    ["instance", t.serving.port, "HTTP", "round_robin", "vpc-test"]);
                assert.deepStrictEqual(g.stickiness, { type: "lb_cookie", enabled: false });
                // The server's health check as compute gives it (on EKS kube-proxy's): it must fail
                // within two 5-second checks, inside the pod's preStop sleep.
                assert.deepStrictEqual([g.healthCheck.enabled, g.healthCheck.path, g.healthCheck.port],
                    [true, t.serving.healthCheck.path, String(t.serving.healthCheck.port)]);
                assert.ok(g.healthCheck.interval * g.healthCheck.unhealthyThreshold < DRAIN_SECONDS,
                    "the server would still get requests after its pod stopped");
                const attached = attachments.filter((a) => refersTo(a.lbTargetGroupArn, group));
                assert.deepStrictEqual(attached.map((a) => a.autoscalingGroupName), [t.autoScalingGroupName]);
            }
        }
    });

    it("guards the public API's load balancers, and only them, with a WAF rate limit per client IP and AWS's common rules", async () => {
        const [acl] = ofType(b.resources, "aws:wafv2/webAcl:WebAcl").map(inputs);
        assert.strictEqual(acl.scope, "REGIONAL");
        assert.deepStrictEqual(acl.defaultAction, { allow: {} });
        assert.strictEqual(ofType(b.resources, "aws:wafv2/ipSet:IpSet").length, 0, "operators never use the public API here");
        const [rate, common] = acl.rules;
        assert.deepStrictEqual(rate.action, { block: {} });
        assert.deepStrictEqual(rate.statement.rateBasedStatement, { limit: 1500, aggregateKeyType: "IP", evaluationWindowSec: 300 });
        assert.strictEqual(common.statement.managedRuleGroupStatement.name, "AWSManagedRulesCommonRuleSet");
        assert.deepStrictEqual(common.overrideAction, { none: {} });
        // Tracking payloads pass the rule set's 8 KB body limit: counted, not blocked.
        assert.deepStrictEqual(common.statement.managedRuleGroupStatement.ruleActionOverrides,
            ["SizeRestrictions_BODY", "SizeRestrictions_QUERYSTRING", "NoUserAgent_HEADER"].map((name) => ({ name, actionToUse: { count: {} } })),
            "large tracking payloads, long redirect links and server-side collectors without a User-Agent must not be blocked");
        const webAclArn = await value(b.edge.webAclArn!);
        const associations = ofType(b.resources, "aws:wafv2/webAclAssociation:WebAclAssociation").map(inputs);
        assert.deepStrictEqual(associations.map((a) => a.resourceArn).sort(), b.lbs.filter((l) => l.tier === "public-api").map((l) => l.arn).sort());
        assert.ok(associations.every((a) => a.webAclArn === webAclArn));
    });

    it("logs the WAF's requests to an aws-waf-logs- group of its own kept 90 days, without the authorization and cookie headers", async () => {
        const [group] = ofType(b.resources, "aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(inputs(group).name, undefined, "a fixed name would collide between the stacks of one account");
        assert.strictEqual(inputs(group).namePrefix, "aws-waf-logs-edge-");
        assert.strictEqual(inputs(group).retentionInDays, 90);
        const logGroup = await value(b.edge.wafLogGroup!);
        assert.match(logGroup, /^aws-waf-logs-edge-/);
        const [logging] = ofType(b.resources, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").map(inputs);
        assert.strictEqual(logging.resourceArn, await value(b.edge.webAclArn!));
        assert.deepStrictEqual(logging.logDestinationConfigs, [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${logGroup}`]);
        assert.deepStrictEqual(logging.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
        assert.strictEqual(logging.loggingFilter, undefined, "every request is logged, allowed ones included");
    });

    it("describes every security-group rule: whom it admits and why", () => {
        const rules = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]
            .flatMap((type) => ofType(b.resources, type)).map(inputs);
        // 80/443 from the Internet (v4, v6) to the public API; from each trusted network to two clusters;
        // per tier, the node port and the health check port, in from the load balancers and out to the servers.
        assert.strictEqual(rules.length, 2 * 2 + 2 * TRUSTED.length * 2 + 3 * 2 * 2);
        for (const rule of rules) {
            assert.strictEqual(ruleDescriptionProblem(rule.description), undefined, JSON.stringify(rule));
        }
        const gui = b.lbs.find((l) => l.tier === "gui")!.securityGroupId;
        const trusted = ingressRulesOf(b, gui).find((r) => r.cidrIpv4 === "203.0.113.0/24" && r.fromPort === 443)!;
        assert.strictEqual(trusted.description, "HTTPS from trusted network 203.0.113.0/24 to the gui load balancers");
        const v6 = ingressRulesOf(b, gui).find((r) => r.cidrIpv6 === "2001:db8:1000::/48" && r.fromPort === 80)!;
        assert.strictEqual(v6.description, "HTTP (redirected to HTTPS) from trusted network 2001:db8:1000::/48 to the gui load balancers");
        const pub = b.lbs.find((l) => l.tier === "public-api")!.securityGroupId;
        assert.deepStrictEqual(ingressRulesOf(b, pub).filter((r) => r.fromPort === 443).map((r) => r.description).sort(), [
            "HTTPS from the Internet (any IPv4 address) to the public-api load balancers: the collector paths are public, listener rules keep every other path to the trusted networks",
            "HTTPS from the Internet (any IPv6 address) to the public-api load balancers: the collector paths are public, listener rules keep every other path to the trusted networks",
        ]);
        assert.deepStrictEqual(ingressRulesOf(b, "sg-servers-gui").map((r) => r.description), [
            "From the gui load balancers only: port 30082, which serves the requests they forward",
            "From the gui load balancers only: health check port 32082, which tells them which servers serve",
        ]);
    });

    it("publishes weighted, health-evaluated IPv4 and IPv6 aliases per load balancer, with equal weights", () => {
        const aliases = ofType(b.resources, "aws:route53/record:Record").map(inputs).filter((r) => r.aliases);
        assert.strictEqual(aliases.length, 2 * b.lbs.length);
        for (const lb of b.lbs) {
            const host = productionArgs().tiers.find((t) => t.name === lb.tier)!.host;
            const records = aliases.filter((r) => r.aliases[0].name === lb.dnsName);
            assert.deepStrictEqual(records.map((r) => r.type).sort(), ["A", "AAAA"]);
            for (const record of records) {
                assert.deepStrictEqual([record.name, record.zoneId], [host, "Z0OFFLINE0ZONE"]);
                assert.deepStrictEqual(record.aliases, [{ name: lb.dnsName, zoneId: "Z32O12XQLNTSW2", evaluateTargetHealth: true }]);
                assert.deepStrictEqual(record.weightedRoutingPolicies, [{ weight: aliases[0].weightedRoutingPolicies[0].weight }]);
            }
        }
        for (const host of productionArgs().tiers.map((t) => t.host)) {
            const ids = aliases.filter((r) => r.name === host && r.type === "A").map((r) => r.setIdentifier);
            assert.strictEqual(new Set(ids).size, 2, `${host} lacks two distinct weighted records`);
        }
    });

    it("issues one certificate for every host, validated through one DNS record per host", () => {
        const [certificate] = ofType(b.resources, "aws:acm/certificate:Certificate").map(inputs);
        const hosts = productionArgs().tiers.map((t) => t.host);
        assert.deepStrictEqual([certificate.domainName, ...certificate.subjectAlternativeNames], hosts);
        assert.strictEqual(certificate.validationMethod, "DNS");
        const cnames = ofType(b.resources, "aws:route53/record:Record").map(inputs).filter((r) => r.type === "CNAME");
        const records = hosts.map((host) => {
            const matching = cnames.filter((r) => r.name.endsWith(`.${host}.`));
            assert.strictEqual(matching.length, 1, `${host} has ${matching.length} validation records`);
            return matching[0];
        });
        assert.strictEqual(cnames.length, hosts.length);
        assert.ok(records.every((r) => r.records.length === 1 && r.zoneId === "Z0OFFLINE0ZONE"));
        const [validation] = ofType(b.resources, "aws:acm/certificateValidation:CertificateValidation").map(inputs);
        assert.deepStrictEqual([...validation.validationRecordFqdns].sort(), records.map((r) => r.name.replace(/\.$/, "")).sort());
    });

    it("keeps access logs in a bucket that is encrypted, private, expiring and writable only by ELB log delivery", () => {
        const one = (type: string) => ofType(b.resources, type).map(inputs)[0];
        assert.deepStrictEqual(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
            [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        const block = one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.deepStrictEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.deepStrictEqual(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule, { objectOwnership: "BucketOwnerEnforced" });
        const [rule] = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules;
        assert.deepStrictEqual([rule.status, rule.expiration.days], ["Enabled", 90]);
        const policy = JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy").policy);
        const [allow, deny] = policy.Statement;
        assert.deepStrictEqual(allow.Principal, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
        assert.strictEqual(allow.Action, "s3:PutObject");
        assert.ok(allow.Resource.every((r: string) => r.endsWith(`/AWSLogs/${ACCOUNT}/*`)) && allow.Resource.length === 3);
        assert.deepStrictEqual([deny.Effect, deny.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
    });

    it("exports the URL of each cluster", () => {
        assert.deepStrictEqual(b.edge.urls, {
            "public-api": `https://track.${ZONE}`, "internal-api": `https://api.${ZONE}`, gui: `https://gui.${ZONE}`,
        });
    });
});

describe("Edge with the minimal profile's tiers", () => {
    const trusted = [...TRUSTED, "100.64.0.0/16"];
    let b: Built;
    before(async () => {
        b = await build("edge", minimalArgs(trusted));
    });

    it("opens collector paths to all, every other path to the trusted networks only (chunked by five), 404 for the rest", () => {
        const [api] = b.lbs.filter((l) => l.tier === "api");
        const plan = asPlan(rulesOf(b, httpsListener(b, api.arn)));
        const open = plan.filter((r) => !r.sourceIps);
        const restricted = plan.filter((r) => r.sourceIps);
        assert.deepStrictEqual(open.flatMap((r) => r.pathPatterns), publicPathPatterns());
        assert.deepStrictEqual(restricted.map((r) => r.sourceIps!.length), [5, 2]);
        assert.deepStrictEqual(restricted.flatMap((r) => r.sourceIps), trusted);
        assert.ok(restricted.every((r) => !r.pathPatterns));
        assert.ok(plan.every((r) => (r.pathPatterns?.length ?? 0) + (r.sourceIps?.length ?? 0) <= 5));
        assert.ok(isForwarded(plan, "/track") && isForwarded(plan, "/collect/a/b"));
        assert.ok(!isForwarded(plan, "/install") && !isForwarded(plan, "/event/logs/1"));
        assert.ok(trusted.every((cidr) => isForwarded(plan, "/install", cidr) && isForwarded(plan, "/user/token", cidr)));
    });

    it("puts the API's single load balancer on the Internet behind the WAF, and keeps the GUI's closed", () => {
        assert.deepStrictEqual(b.lbs.map((l) => l.tier), ["api", "gui"]);
        const [api, gui] = b.lbs;
        assert.ok(ingressRulesOf(b, api.securityGroupId).some((r) => r.cidrIpv4 === "0.0.0.0/0"));
        assert.ok(ingressRulesOf(b, gui.securityGroupId).every((r) => !ANYWHERE.includes(r.cidrIpv4) && !ANYWHERE.includes(r.cidrIpv6)));
        const associations = ofType(b.resources, "aws:wafv2/webAclAssociation:WebAclAssociation").map(inputs);
        assert.deepStrictEqual(associations.map((a) => a.resourceArn), [api.arn]);
    });

    it("lets the operators' requests skip the WAF rules, which would block flow code in GUI API calls", () => {
        const ipSets = ofType(b.resources, "aws:wafv2/ipSet:IpSet").map(inputs).sort((x, y) => x.ipAddressVersion.localeCompare(y.ipAddressVersion));
        assert.deepStrictEqual(ipSets.map((s) => [s.scope, s.ipAddressVersion, s.addresses]), [
            ["REGIONAL", "IPV4", trusted.filter((c) => !c.includes(":"))],
            ["REGIONAL", "IPV6", trusted.filter((c) => c.includes(":"))],
        ]);
        const [acl] = ofType(b.resources, "aws:wafv2/webAcl:WebAcl").map(inputs);
        const order = [...acl.rules].sort((x, y) => x.priority - y.priority);
        assert.deepStrictEqual(order.map((r) => r.name),
            ["allow-trusted-ipv4", "allow-trusted-ipv6", "rate-limit-per-client-ip", "aws-common-rule-set"]);
        assert.ok(order.slice(0, 2).every((r) => r.action.allow && r.statement.ipSetReferenceStatement.arn.includes("wafv2")));
        const aliases = ofType(b.resources, "aws:route53/record:Record").filter((r) => inputs(r).aliases && inputs(r).type === "A");
        assert.strictEqual(aliases.length, 2);
    });
});

describe("Edge options", () => {
    it("internal: true makes the trusted-only clusters' load balancers internal, never the public API's", async () => {
        const b = await build("edge", productionArgs({ internal: true }));
        assert.deepStrictEqual(b.lbs.map((l) => [l.tier, inputs(l.resource).internal]), [
            ["public-api", false], ["public-api", false], ["internal-api", true], ["internal-api", true], ["gui", true], ["gui", true],
        ]);
    });

    it("uses a given certificate instead of issuing one", async () => {
        const arn = `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/0f0e0d0c-0000-4000-8000-000000000000`;
        const b = await build("edge", productionArgs({ certificateArn: arn }));
        assert.strictEqual(ofType(b.resources, "aws:acm/certificate:Certificate").length, 0);
        assert.strictEqual(ofType(b.resources, "aws:route53/record:Record").filter((r) => inputs(r).type === "CNAME").length, 0);
        assert.ok(b.lbs.every((lb) => inputs(httpsListener(b, lb.arn)).certificateArn === arn));
    });

    it("opens the widget and consent paths on the public API when asked", async () => {
        const b = await build("edge", productionArgs({ optionalCollectorPaths: { widget: true, consent: true } }));
        const plan = asPlan(rulesOf(b, httpsListener(b, b.lbs[0].arn)));
        assert.ok(["/uix/a.js", "/consents/type/enabled", "/customer/consent"].every((p) => isForwarded(plan, p)));
        assert.ok(!isForwarded(plan, "/install"));
    });

    it("keeps the WAF's logs as long as asked; without a public cluster there is no WAF and nothing to log", async () => {
        const b = await build("edge", productionArgs({ wafLogRetentionDays: 365 }));
        assert.deepStrictEqual(ofType(b.resources, "aws:cloudwatch/logGroup:LogGroup").map((g) => inputs(g).retentionInDays), [365]);
        const closed = await build("edge", productionArgs({ tiers: productionArgs().tiers.filter((t) => t.exposure === "trusted") }));
        assert.strictEqual(closed.edge.wafLogGroup, undefined);
        assert.deepStrictEqual(["aws:wafv2/webAcl:WebAcl", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
            "aws:cloudwatch/logGroup:LogGroup"].map((type) => ofType(closed.resources, type).length), [0, 0, 0]);
    });

    it("refuses arguments AWS would reject only at deploy time", async () => {
        const refuses = (name: string, args: EdgeArgs, message: RegExp) => assert.rejects(recordResources(() => new Edge(name, args)), message);
        await refuses("a-name-much-too-long", productionArgs(), /longer than 16 characters/);
        await refuses("edge", productionArgs({ wafRateLimit: 5 }), /wafRateLimit.*from 10 to 2000000000/s);
        await refuses("edge", productionArgs({ publicSubnetIds: ["subnet-a"] }), /at least two zones/);
        await refuses("edge", productionArgs({ zone: "other.example.org" }), /outside the zone other\.example\.org/);
        await refuses("edge", productionArgs({ perCluster: 0 }), /perCluster/);
        await refuses("edge", productionArgs({ wafLogRetentionDays: 45 }), /wafLogRetentionDays must be a CloudWatch Logs retention period \(1, 3, 5, .*3653\), got 45/);
    });
});

describe("idle timeouts", () => {
    it("GUI-facing load balancers wait longer than the API's longest search query; the collector's keep AWS's 60 s", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const byCluster = new Map<string, unknown[]>();
        for (const lb of ofType(prod.resources, "aws:lb/loadBalancer:LoadBalancer")) {
            const cluster = (lb.inputs.tags as Record<string, string>)["tracardi:tier"];
            byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), lb.inputs.idleTimeout]);
        }
        const gui = prod.spec.elasticsearch.queryTimeoutSeconds + 30;
        assert.deepStrictEqual(Object.fromEntries(byCluster), { "public-api": [undefined, undefined], "internal-api": [gui, gui], gui: [gui, gui] });
    });
});
