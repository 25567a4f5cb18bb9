import * as assert from "assert";
import { accountRootOf, eksSecretsKeyPolicy, KEY_ADMIN_ACTIONS, KEY_GRANT_ACTIONS, KEY_USE_ACTIONS, snapshotKeyPolicy } from "../lib/kms";
import { LOG_RETENTION_DAYS } from "../lib/logs";
import { supportsPerformanceInsights } from "../lib/rds";
import { ruleDescription, ruleDescriptionProblem } from "../lib/securityGroups";
import { ACCOUNT, REGION, RecordedResource } from "../offline/mocks";
import { ofType } from "../offline/query";
import { descriptionProblem } from "../policy/lib/descriptions";
import { readStackFile, tracardiValues } from "../stacks/config";
import { ConfigError, formatProblem } from "../stacks/errors";
import { specSchema } from "../stacks/schema";
import { mergeDefaults, parseSpec } from "../stacks/spec";
import { planOf, STACK_FILES } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every security-group rule a stack creates, with where it sits and what it admits. */
function rulesOf(resources: RecordedResource[]): { where: string; rule: Obj }[] {
    const inline = ofType(resources, "aws:ec2/securityGroup:SecurityGroup").flatMap((g) => (["ingress", "egress"] as const)
        .flatMap((direction) => ((g.inputs[direction] as Obj[] | undefined) ?? []).map((rule, i) => ({ where: `${g.name} ${direction} ${i}`, rule }))));
    const separate = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:ec2/securityGroupRule:SecurityGroupRule"].flatMap((type) => ofType(resources, type)).map((r) => ({ where: r.name, rule: r.inputs as Obj }));
    return [...inline, ...separate];
}

describe("least privilege: security-group rule descriptions", () => {
    const SAMPLES: [unknown, RegExp | undefined][] = [
        ["HTTPS from trusted network 203.0.113.0/24 to the gui load balancers", undefined],
        ["HTTP (redirected to HTTPS) from trusted network 2001:db8:1000::/48 to the gui load balancers", undefined],
        ["a-z A-Z 0-9 ._-:/()#,@[]+=;{}!$*", undefined],
        [undefined, /has no description/],
        ["   ", /has no description/],
        ["Redis from the API's servers", /characters EC2 refuses \("'"\)/],
        ["\"quoted\" & more", /characters EC2 refuses \("\\"", "&"\)/],
        ["Zugriff für Betreiber", /characters EC2 refuses \("ü"\)/],
        ["x".repeat(255), undefined],
        ["x".repeat(256), /256 characters; EC2 allows 255/],
    ];

    it("accepts EC2's characters up to 255 and refuses the rest, as the policy pack's copy does", () => {
        for (const [description, problem] of SAMPLES) {
            const found = ruleDescriptionProblem(description);
            if (problem) {
                assert.match(found ?? "", problem, String(description));
            } else {
                assert.strictEqual(found, undefined, String(description));
            }
            assert.strictEqual(descriptionProblem(description) === undefined, found === undefined, `the pack disagrees on ${String(description)}`);
        }
        assert.throws(() => ruleDescription("edge-gui-lb-443", "from the operators' office"),
            /security-group rule edge-gui-lb-443 has a description with characters EC2 refuses/);
    });

    for (const file of STACK_FILES) {
        it(`${file}: every security-group rule says whom it admits and why, in characters EC2 accepts`, async () => {
            const rules = rulesOf((await planOf(file)).resources);
            assert.ok(rules.length > 10, `only ${rules.length} rules found`);
            for (const { where, rule } of rules) {
                const problem = ruleDescriptionProblem(rule.description);
                assert.strictEqual(problem, undefined, `${where} ${problem}: ${JSON.stringify(rule.description)}`);
                const cidrs = [rule.cidrIpv4, rule.cidrIpv6].filter((c) => c !== undefined && !["0.0.0.0/0", "::/0"].includes(c));
                for (const cidr of cidrs) {
                    assert.ok(rule.description.includes(cidr), `${where} admits ${cidr} without naming it: ${rule.description}`);
                }
            }
        });
    }
});

/** Whether an IAM action pattern (with `*`) covers an action. */
function covers(pattern: string, action: string): boolean {
    return new RegExp(`^${pattern.replace(/\*/g, ".*")}$`, "i").test(action);
}

describe("least privilege: KMS key policies", () => {
    const ROLE = `arn:aws:iam::${ACCOUNT}:role/tracardi-eks-control-plane-1234567`;
    const USER = `arn:aws:iam::${ACCOUNT}:user/tracardi/tracardi-search-snapshots-89abcde`;
    const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
    const USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"];

    it("lets the account administer a key, keep its policy (the lockout check) and grant only for AWS resources, never use it", () => {
        for (const policy of [JSON.parse(eksSecretsKeyPolicy(ROLE)), JSON.parse(snapshotKeyPolicy(USER, REGION))]) {
            const account = (policy.Statement as Obj[]).filter((st) => st.Principal.AWS === ROOT);
            assert.deepStrictEqual(account.map((st) => st.Sid), ["AccountAdministersKey", "AccountGrantsForAwsResources"]);
            const [admin, grants] = account;
            for (const action of ["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion", "kms:TagResource", "kms:UpdateKeyDescription", "kms:CreateAlias"]) {
                assert.ok(admin.Action.some((p: string) => covers(p, action)), `the account cannot ${action}`);
            }
            for (const action of [...USE, ...KEY_GRANT_ACTIONS]) {
                assert.ok(!admin.Action.some((p: string) => covers(p, action)), `the account may ${action} unconditionally`);
            }
            assert.deepStrictEqual(grants.Action, ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
            assert.deepStrictEqual(grants.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
            assert.ok((policy.Statement as Obj[]).every((st) => st.Effect === "Allow" && st.Resource === "*" && st.Principal.AWS !== "*"));
        }
        // DescribeKey (metadata) is the one use action an administrator shares.
        assert.deepStrictEqual(KEY_USE_ACTIONS.filter((u) => KEY_ADMIN_ACTIONS.some((a) => covers(a, u))), ["kms:DescribeKey"]);
    });

    it("lets the EKS cluster role, and nobody else, encrypt and decrypt with the secrets key", () => {
        const [, , use, ...rest] = JSON.parse(eksSecretsKeyPolicy(ROLE)).Statement;
        assert.deepStrictEqual(rest, []);
        assert.deepStrictEqual(use.Principal, { AWS: ROLE });
        assert.deepStrictEqual(use.Action, [...KEY_USE_ACTIONS, "kms:ListGrants"]);
        assert.strictEqual(use.Condition, undefined);
    });

    it("lets the snapshot user use the snapshot key only through S3 in the stack's region", () => {
        const [, , use, ...rest] = JSON.parse(snapshotKeyPolicy(USER, "eu-central-1")).Statement;
        assert.deepStrictEqual(rest, []);
        assert.deepStrictEqual(use.Principal, { AWS: USER });
        assert.deepStrictEqual(use.Action, KEY_USE_ACTIONS);
        assert.deepStrictEqual(use.Condition, { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } });
    });

    it("names the account of the principal, in its partition, and refuses what is not an IAM role or user", () => {
        assert.strictEqual(accountRootOf("arn:aws-cn:iam::210987654321:role/x"), "arn:aws-cn:iam::210987654321:root");
        assert.strictEqual(accountRootOf(USER), ROOT);
        assert.throws(() => accountRootOf("arn:aws:iam::123456789012:root"), /not the ARN of an IAM role or user/);
        assert.throws(() => accountRootOf("*"), /not the ARN/);
    });

    it("Pulumi.prod.yaml: the snapshot key names the snapshot user, which exists before it", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const key = ofType(plan.resources, "aws:kms/key:Key").find((k) => k.name.endsWith("-snapshots"))!;
        const user = ofType(plan.resources, "aws:iam/user:User").find((u) => u.name.endsWith("-snapshots"))!;
        assert.ok(key.propertyDependencies.policy.includes(user.urn));
        const use = JSON.parse(key.inputs.policy as string).Statement[2];
        assert.match(use.Principal.AWS, new RegExp(`^arn:aws:iam::${ACCOUNT}:user/tracardi/${user.name}-`));
        assert.deepStrictEqual(use.Condition, { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } });
    });
});

describe("least privilege: RDS monitoring", () => {
    it("knows which MySQL classes have Performance Insights (not the micro and small burstables)", () => {
        for (const c of ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"]) {
            assert.strictEqual(supportsPerformanceInsights(c), false, c);
        }
        for (const c of ["db.t3.medium", "db.t4g.medium", "db.t4g.large", "db.m6g.large", "db.r6i.xlarge", "db.m7g.2xlarge"]) {
            assert.strictEqual(supportsPerformanceInsights(c), true, c);
        }
    });
});

describe("least privilege: tracardi:loadBalancers.wafLogRetentionDays", () => {
    const keys = Object.keys(specSchema.shape);
    const stack = (file: string, changes: Obj = {}) => mergeDefaults(
        Object.fromEntries(Object.entries(tracardiValues(readStackFile(file))).filter(([key]) => keys.includes(key))), changes);
    const production = (changes: Obj = {}) => stack("Pulumi.prod.yaml", changes);

    it("defaults to 90 days in both profiles and takes any CloudWatch Logs retention period", () => {
        assert.strictEqual(parseSpec(production()).loadBalancers.wafLogRetentionDays, 90);
        assert.strictEqual(parseSpec(stack("Pulumi.small.yaml")).loadBalancers.wafLogRetentionDays, 90);
        for (const days of LOG_RETENTION_DAYS) {
            assert.strictEqual(parseSpec(production({ loadBalancers: { wafLogRetentionDays: days } })).loadBalancers.wafLogRetentionDays, days);
        }
    });

    it("refuses other numbers, naming the periods CloudWatch Logs allows", () => {
        for (const given of [0, 45, 90.5, 3654, "90"]) {
            try {
                parseSpec(production({ loadBalancers: { wafLogRetentionDays: given } }));
                assert.fail(`${JSON.stringify(given)} was accepted`);
            } catch (err) {
                assert.ok(err instanceof ConfigError, String(err));
                const lines = err.problems.map(formatProblem);
                assert.strictEqual(lines.length, 1, lines.join("\n"));
                assert.ok(lines[0].startsWith(`tracardi:loadBalancers.wafLogRetentionDays: `), lines[0]);
                assert.ok(lines[0].includes(`(given ${JSON.stringify(given)}; allowed: `), lines[0]);
                if (Number.isInteger(given)) {
                    assert.match(lines[0], /is not a CloudWatch Logs retention period .*allowed: 1, 3, 5, 7, 14, 30, 60, 90, .*, 3653\)$/);
                }
            }
        }
    });
});

describe("snapshot readers", () => {
    it("named readers may decrypt the snapshots through S3, and do nothing else with the key", () => {
        const user = "arn:aws:iam::123456789012:user/tracardi/snapshots";
        const reader = "arn:aws:iam::123456789012:role/restore";
        const statements = JSON.parse(snapshotKeyPolicy(user, "eu-west-1", [reader])).Statement as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
        const readers = statements.find((s) => s.Sid === "ReadersDecryptThroughS3")!;
        assert.deepStrictEqual([readers.Principal, readers.Action, readers.Condition],
            [{ AWS: [reader] }, ["kms:Decrypt", "kms:DescribeKey"], { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }]);
        assert.ok(!JSON.parse(snapshotKeyPolicy(user, "eu-west-1")).Statement.some((s: { Sid: string }) => s.Sid === "ReadersDecryptThroughS3"));
    });
});
