import * as assert from "assert";
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import {
    amiParameterName, checkVmTierArgs, encodeUserData, MAX_USER_DATA_BYTES, VmTier, VmTierArgs,
} from "../components/vmTier";
import { CLOUDWATCH_AGENT_CONFIG } from "../lib/vmUserData";
import { recordResources } from "../offline/harness";
import { RecordedResource, recordedInvokes } from "../offline/mocks";
import { ofType, owningComponent } from "../offline/query";
import { decodeUserData } from "../offline/userData";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const T = {
    tier: "tracardi:vm:Tier",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
};
const SSM_INVOKE = "aws:ssm/getParameter:getParameter";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tracardi-test-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/tracardi/test/public-api";
const USER_DATA = "#!/bin/bash\nset -euo pipefail\necho 'Tracardi public API'\n";

const inputs = (r: RecordedResource) => r.inputs as Obj;
const one = (resources: RecordedResource[], type: string) => {
    const found = ofType(resources, type);
    assert.strictEqual(found.length, 1, `${found.length} resources of type ${type}`);
    return found[0];
};
const resolve = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply(done));

function tierArgs(changes: Partial<VmTierArgs> = {}): VmTierArgs {
    return {
        tier: "public-api",
        instanceType: "c6i.large",
        size: 3,
        subnetIds: ["subnet-app-a", "subnet-app-b", "subnet-app-c"],
        securityGroupId: "sg-public-api",
        userData: USER_DATA,
        secretArn: SECRET,
        logGroupArn: LOG_GROUP,
        minHealthyPercentage: 66,
        tags: { "tracardi:stack": "test", "managed-by": "pulumi" },
        ...changes,
    };
}

async function build(changes: Partial<VmTierArgs> = {}) {
    const { result, resources } = await recordResources(() => new VmTier("public-api", tierArgs(changes)));
    return { tier: result, resources, invokes: recordedInvokes() };
}

/** sha256 of the encoded user data of a fixed script, with Node 20 and 22's zlib. */
const GOLDEN_DIGEST = "5b8af88e9d00af4c7dcd4f5c5c52e8c299e511536b5e39a5eac7d2b5c63c5a76";

describe("VmTier", () => {
    let built: Awaited<ReturnType<typeof build>>;
    before(async () => {
        built = await build();
    });
    const template = () => inputs(one(built.resources, T.template));
    const group = () => inputs(one(built.resources, T.group));
    const policy = (resources = built.resources) => JSON.parse(inputs(one(resources, T.rolePolicy)).policy) as Obj;

    it("hangs every resource under the component, tagged with the stack's tags, the tier and a Name", () => {
        const root = one(built.resources, T.tier);
        const children = built.resources.filter((r) => r !== root);
        assert.deepStrictEqual(children.map((r) => r.type).sort(), [T.group, T.template, T.profile, T.role, T.rolePolicy].sort());
        for (const r of children) {
            assert.strictEqual(owningComponent(built.resources, r)?.urn, root.urn, `${r.name} is outside the tier component`);
        }
        const expected = { "tracardi:stack": "test", "managed-by": "pulumi", "tracardi:tier": "public-api" };
        for (const type of [T.role, T.profile]) {
            assert.deepStrictEqual(inputs(one(built.resources, type)).tags, expected, type);
        }
        const withName = { ...expected, Name: "public-api" };
        assert.deepStrictEqual(template().tags, withName);
        assert.deepStrictEqual(template().tagSpecifications, [
            { resourceType: "instance", tags: withName }, { resourceType: "volume", tags: withName },
        ]);
        assert.deepStrictEqual(group().tags, Object.entries(withName).map(([key, value]) => ({ key, value, propagateAtLaunch: true })));
    });

    it("requires IMDSv2 with a hop limit of 1, so containers cannot reach the instance credentials", () => {
        assert.deepStrictEqual(template().metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    });

    it("boots from an encrypted gp3 root volume on /dev/xvda, 30 GiB unless told", async () => {
        assert.deepStrictEqual(template().blockDeviceMappings, [{
            deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        }]);
        const larger = await build({ rootVolumeGiB: 50 });
        assert.strictEqual(inputs(one(larger.resources, T.template)).blockDeviceMappings[0].ebs.volumeSize, 50);
    });

    it("gives the servers no public address and no key pair; the tier's security group sits on the only interface", () => {
        assert.deepStrictEqual(template().networkInterfaces, [{
            deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-public-api"], deleteOnTermination: "true",
        }]);
        assert.strictEqual(template().keyName, undefined);
        assert.strictEqual(template().vpcSecurityGroupIds, undefined, "security groups belong on the interface when it is given");
        assert.strictEqual(template().instanceType, "c6i.large");
        assert.strictEqual(template().updateDefaultVersion, true);
    });

    it("looks the AMI up at deploy time from Amazon Linux 2023's public SSM parameter, x86_64 or arm64 by instance type", async () => {
        const x86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        const arm = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        assert.deepStrictEqual(built.invokes.filter((i) => i.token === SSM_INVOKE).map((i) => i.inputs.name), [x86]);
        assert.match(template().imageId, /^ami-0offline[0-9a-f]+$/);

        const graviton = await build({ instanceType: "m7g.large" });
        assert.deepStrictEqual(graviton.invokes.filter((i) => i.token === SSM_INVOKE).map((i) => i.inputs.name), [arm]);
        const armImage = inputs(one(graviton.resources, T.template)).imageId;
        assert.match(armImage, /^ami-0offline[0-9a-f]+$/);
        assert.notStrictEqual(armImage, template().imageId);
        assert.deepStrictEqual(["t3.medium", "r6i.xlarge", "t4g.medium", "c7g.2xlarge"].map(amiParameterName), [x86, x86, arm, arm]);
    });

    it("carries the user data gzipped (cloud-init unpacks it), the same bytes every run, and refuses more than EC2's 16 KB", async () => {
        assert.strictEqual(decodeUserData(template().userData), USER_DATA);
        const fromOutput = await build({ userData: pulumi.output("#!/bin/bash\necho ünïcode\n") });
        assert.strictEqual(decodeUserData(inputs(one(fromOutput.resources, T.template)).userData), "#!/bin/bash\necho ünïcode\n");
        // The same bytes on every system and run: the header names Unix whatever runs it, and the
        // digest is pinned (a Node whose zlib compresses differently would refresh every server).
        assert.strictEqual(Buffer.from(encodeUserData(USER_DATA), "base64")[9], 3);
        assert.strictEqual(crypto.createHash("sha256").update(encodeUserData("#!/bin/bash\necho tracardi\n")).digest("hex"), GOLDEN_DIGEST);
        // Text that compresses well passes far beyond 16 KB; text that does not is refused.
        assert.doesNotThrow(() => encodeUserData("x".repeat(10 * MAX_USER_DATA_BYTES)));
        const noise = crypto.randomBytes(MAX_USER_DATA_BYTES).toString("base64");
        assert.throws(() => encodeUserData(noise), /user data of a VM tier is \d+ bytes gzipped; EC2 accepts at most 16384 before base64/);
    });

    it("spreads the group over every subnet: min = desired = size, max = size + 1, ELB health checks after the grace period", async () => {
        const g = group();
        assert.deepStrictEqual(g.vpcZoneIdentifiers, ["subnet-app-a", "subnet-app-b", "subnet-app-c"]);
        assert.deepStrictEqual([g.minSize, g.desiredCapacity, g.maxSize], [3, 3, 4]);
        assert.deepStrictEqual([g.healthCheckType, g.healthCheckGracePeriod, g.defaultInstanceWarmup], ["ELB", 600, 600]);
        const quick = inputs(one((await build({ size: 1, healthCheckGraceSeconds: 300 })).resources, T.group));
        assert.deepStrictEqual([quick.minSize, quick.desiredCapacity, quick.maxSize, quick.healthCheckGracePeriod, quick.defaultInstanceWarmup],
            [1, 1, 2, 300, 300]);
    });

    it("rolls template changes out by instance refresh on the numbered template version, keeping the minimum, without a rollback that cannot roll back", () => {
        const lt = one(built.resources, T.template);
        assert.deepStrictEqual(group().launchTemplate, { id: lt.id, version: "1" });
        assert.deepStrictEqual(group().instanceRefresh, {
            strategy: "Rolling",
            preferences: {
                minHealthyPercentage: 66,
                instanceWarmup: "600",
                autoRollback: false,
                skipMatching: true,
                scaleInProtectedInstances: "Refresh",
                standbyInstances: "Terminate",
            },
        });
        assert.deepStrictEqual(one(built.resources, T.group).ignoreChanges, []);
    });

    it("leaves load balancers to the edge's attachments: no targetGroupArns, loadBalancers or trafficSources", () => {
        for (const key of ["targetGroupArns", "loadBalancers", "trafficSources"]) {
            assert.strictEqual(group()[key], undefined, key);
        }
    });

    it("lets the servers read exactly the given secret and write exactly the given log group", async () => {
        const statements = policy().Statement as Obj[];
        const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
        assert.deepStrictEqual(bySid.ReadTheStackSecret, { Sid: "ReadTheStackSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET });
        assert.deepStrictEqual(bySid.WriteTheTierLogs.Resource, [LOG_GROUP, `${LOG_GROUP}:*`]);
        assert.deepStrictEqual(bySid.WriteTheTierLogs.Action, ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        assert.strictEqual(bySid.DecryptTheStackSecret, undefined, "no KMS permission without a key of the secret's own");
        // Every action on a named resource names exactly these; the rest are actions without resource ARNs.
        const unbounded = statements.filter((s) => s.Resource === "*").flatMap((s) => [s.Action].flat());
        assert.deepStrictEqual(unbounded.sort(), ["cloudwatch:PutMetricData", "ec2:DescribeTags", "ec2:DescribeVolumes"]);
        assert.ok(statements.every((s) => s.Effect === "Allow" && !JSON.stringify(s.Action).includes("*")), "no wildcard actions");
        assert.strictEqual(inputs(one(built.resources, T.rolePolicy)).role, one(built.resources, T.role).id);

        const withKey = await build({ secretKeyArn: KEY, logGroupArn: `${LOG_GROUP}:*` });
        const keyed = Object.fromEntries((policy(withKey.resources).Statement as Obj[]).map((s) => [s.Sid, s]));
        assert.deepStrictEqual(keyed.DecryptTheStackSecret, {
            Sid: "DecryptTheStackSecret", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        });
        assert.deepStrictEqual(keyed.WriteTheTierLogs.Resource, [LOG_GROUP, `${LOG_GROUP}:*`], "a group ARN given with :* is the same group");
    });

    it("attaches Session Manager's managed policy only; the CloudWatch agent may put metrics in its own namespace", () => {
        const role = inputs(one(built.resources, T.role));
        assert.deepStrictEqual(role.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement,
            [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        const metrics = (policy().Statement as Obj[]).find((s) => s.Action === "cloudwatch:PutMetricData")!;
        // The namespace the renderer's agent configuration reports in.
        assert.deepStrictEqual(metrics.Condition, { StringEquals: { "cloudwatch:namespace": CLOUDWATCH_AGENT_CONFIG.metrics.namespace } });
    });

    it("starts servers with the instance profile of that role, and exposes the group's name and the role's ARN", async () => {
        const role = one(built.resources, T.role);
        const profile = one(built.resources, T.profile);
        assert.strictEqual(inputs(profile).role, role.name, "the profile carries the role (by the name the mocks give it)");
        assert.match(template().iamInstanceProfile.arn, /^arn:aws:iam::123456789012:instance-profile\/public-api-servers-[0-9a-f]{7}$/);
        assert.match(await resolve(built.tier.autoScalingGroupName), /^public-api-asg-[0-9a-f]{7}$/);
        assert.match(await resolve(built.tier.roleArn), /^arn:aws:iam::123456789012:role\/public-api-servers$/);
    });

    it("refuses sizes, percentages and instance types AWS would refuse late or not at all, naming the argument", async () => {
        const refuses = (changes: Partial<VmTierArgs>, message: RegExp) => {
            assert.throws(() => checkVmTierArgs(tierArgs(changes)), message);
        };
        refuses({ size: 0 }, /^Error: size must be a whole number of servers, at least 1 \(given 0; allowed: integers >= 1\)$/);
        refuses({ size: 2.5 }, /size .*given 2\.5/);
        refuses({ minHealthyPercentage: 101 }, /minHealthyPercentage .*\(given 101; allowed: integers 0 to 100\)/);
        refuses({ minHealthyPercentage: -1 }, /minHealthyPercentage .*given -1/);
        refuses({ instanceType: "c6i.mega" }, /instanceType is not a type this program knows \(given "c6i.mega"; allowed: a type such as c6i.large/);
        refuses({ subnetIds: [] }, /subnetIds is empty/);
        refuses({ healthCheckGraceSeconds: -5 }, /healthCheckGraceSeconds must be whole seconds \(given -5/);
        refuses({ rootVolumeGiB: 4 }, /rootVolumeGiB must hold the AMI's 8 GiB snapshot .*given 4/);
        assert.doesNotThrow(() => checkVmTierArgs(tierArgs({ minHealthyPercentage: 0 })));
        assert.doesNotThrow(() => checkVmTierArgs(tierArgs({ minHealthyPercentage: 100, size: 1 })));

        let thrown: unknown;
        try {
            checkVmTierArgs(tierArgs({ size: 0 }));
        } catch (err) {
            thrown = err;
        }
        assert.ok(pulumi.InputPropertyError.isInstance(thrown), "an InputPropertyError, which the engine points at the argument");
        assert.strictEqual((thrown as pulumi.InputPropertyError).propertyPath, "size");
        // The component checks before it creates anything.
        await assert.rejects(recordResources(() => new VmTier("public-api", tierArgs({ instanceType: "c6i.mega" }))), /instanceType/);
    });
});
