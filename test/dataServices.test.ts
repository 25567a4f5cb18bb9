import * as assert from "assert";
import type { StackPlan } from "../offline/harness";
import { ACCOUNT, RecordedResource } from "../offline/mocks";
import { byName, ofType } from "../offline/query";
import { planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Ids of the security groups of the API tiers' servers. */
function apiServerGroups(plan: StackPlan, tiers: string[]): string[] {
    return tiers.map((tier) => byName(plan.resources, `tracardi-${tier}-nodes`).id);
}

function ingressOf(plan: StackPlan, groupResource: RecordedResource): Obj[] {
    const inline = (groupResource.inputs.ingress as Obj[] | undefined) ?? [];
    const separate = ofType(plan.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((r) => r.inputs.securityGroupId === groupResource.id).map((r) => r.inputs as Obj);
    return [...inline, ...separate];
}

describe("data services", () => {
    for (const [file, apiTiers] of [["Pulumi.prod.yaml", ["public-api", "internal-api"]], ["Pulumi.small.yaml", ["api"]]] as const) {
        for (const [service, group, port] of [["Redis", "tracardi-redis-sg", 6379], ["MySQL", "tracardi-mysql-sg", 3306]] as const) {
            it(`${file}: ${service} admits the API tiers' servers on ${port} and nothing else`, async () => {
                const plan = await planOf(file);
                const rules = ingressOf(plan, byName(plan.resources, group));
                assert.deepStrictEqual(rules.map((r) => r.referencedSecurityGroupId).sort(), apiServerGroups(plan, [...apiTiers]).sort());
                for (const rule of rules) {
                    assert.deepStrictEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", port, port]);
                    assert.strictEqual(rule.cidrIpv4, undefined);
                    assert.strictEqual(rule.cidrIpv6, undefined);
                }
            });
        }
    }

    it("Redis: a replica in another zone with automatic failover, encrypted at rest, in the data subnets, protected", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [redis] = ofType(plan.resources, "aws:elasticache/replicationGroup:ReplicationGroup");
        const inputs = redis.inputs as Obj;
        assert.strictEqual(inputs.numCacheClusters, 2);
        assert.strictEqual(inputs.automaticFailoverEnabled, true);
        assert.strictEqual(inputs.multiAzEnabled, true);
        assert.strictEqual(inputs.atRestEncryptionEnabled, true);
        // Tracardi's client has no TLS: documented, compensated by the security group.
        assert.strictEqual(inputs.transitEncryptionEnabled, false);
        assert.strictEqual(redis.protect, true);
        const [subnets] = ofType(plan.resources, "aws:elasticache/subnetGroup:SubnetGroup");
        const dataSubnets = plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && /-data-\d$/.test(r.name)).map((r) => r.id);
        assert.deepStrictEqual([...(subnets.inputs.subnetIds as string[])].sort(), dataSubnets.sort());
    });

    it("MySQL: Multi-AZ in production, encrypted, backed up, not public, protected twice", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [db] = ofType(plan.resources, "aws:rds/instance:Instance");
        const inputs = db.inputs as Obj;
        assert.strictEqual(inputs.multiAz, true);
        assert.strictEqual(inputs.storageEncrypted, true);
        assert.strictEqual(inputs.publiclyAccessible, false);
        assert.strictEqual(inputs.deletionProtection, true);
        assert.strictEqual(inputs.skipFinalSnapshot, false);
        assert.strictEqual(inputs.backupRetentionPeriod, plan.spec.mysql.backupRetentionDays);
        assert.strictEqual(db.protect, true);
        assert.ok(db.secretInputs.includes("password"));
    });

    it("MySQL logs slow queries, so the exported slow-query log is not empty", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [db] = ofType(plan.resources, "aws:rds/instance:Instance");
        const [group] = ofType(plan.resources, "aws:rds/parameterGroup:ParameterGroup");
        assert.ok((db.inputs as Obj).enabledCloudwatchLogsExports.includes("slowquery"));
        assert.deepStrictEqual(db.propertyDependencies.parameterGroupName, [group.urn]);
        assert.strictEqual((group.inputs as Obj).family, `mysql${(db.inputs as Obj).engineVersion}`);
        const parameters = Object.fromEntries(((group.inputs as Obj).parameters as Obj[]).map((p) => [p.name, p.value]));
        assert.deepStrictEqual(parameters, { slow_query_log: "1", long_query_time: "2", log_output: "FILE" });
    });

    it("MySQL's final snapshot is named for the stack, so stacks in one account never collide", async () => {
        const names = await Promise.all(["Pulumi.prod.yaml", "Pulumi.small.yaml"].map(async (file) =>
            (ofType((await planOf(file)).resources, "aws:rds/instance:Instance")[0].inputs as Obj).finalSnapshotIdentifier as string));
        assert.match(names[0], /^tracardi-prod-final-[0-9a-f]{8}$/);
        assert.match(names[1], /^tracardi-small-final-[0-9a-f]{8}$/);
    });

    it("MySQL: enhanced monitoring every minute through a role only RDS monitoring of this account assumes", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [db] = ofType(plan.resources, "aws:rds/instance:Instance");
        const role = ofType(plan.resources, "aws:iam/role:Role").find((r) => r.name.endsWith("-mysql-monitoring"))!;
        assert.strictEqual((db.inputs as Obj).monitoringInterval, 60);
        assert.strictEqual((db.inputs as Obj).monitoringRoleArn, `arn:aws:iam::${ACCOUNT}:role/${role.name}`);
        assert.deepStrictEqual((role.inputs as Obj).managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
        assert.deepStrictEqual(JSON.parse((role.inputs as Obj).assumeRolePolicy).Statement, [{
            Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        }]);
    });

    it("MySQL: Performance Insights, 7 days (the free tier), where the class has it: on db.t4g.medium, not on db.t4g.small", async () => {
        const insights = async (file: string) => {
            const plan = await planOf(file);
            const inputs = ofType(plan.resources, "aws:rds/instance:Instance")[0].inputs as Obj;
            return [plan.spec.mysql.instanceClass, inputs.performanceInsightsEnabled, inputs.performanceInsightsRetentionPeriod];
        };
        assert.deepStrictEqual(await insights("Pulumi.prod.yaml"), ["db.t4g.medium", true, 7]);
        assert.deepStrictEqual(await insights("Pulumi.small.yaml"), ["db.t4g.small", false, undefined]);
    });

    it("the minimal profile keeps MySQL in one zone but still protected", async () => {
        const plan = await planOf("Pulumi.small.yaml");
        const [db] = ofType(plan.resources, "aws:rds/instance:Instance");
        assert.strictEqual((db.inputs as Obj).multiAz, false);
        assert.strictEqual(db.protect, true);
    });
});
