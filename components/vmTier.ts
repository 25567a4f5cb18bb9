import * as zlib from "zlib";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicy, serviceTrustPolicy } from "../lib/iam";
import { instanceCapacity, SUPPORTED_INSTANCE_TYPES } from "../lib/instanceTypes";
import { named, TIER_TAG } from "../lib/tags";
import type { TierName } from "../lib/tiers";
// The role may put metrics in the agent's namespace only: the one the rendered agent configuration reports in.
import { CLOUDWATCH_AGENT_CONFIG } from "../lib/vmUserData";

export interface VmTierArgs {
    /** The tier the servers serve, "workers" for the group of one that runs the release's workers, or "search" for a search node's group of one. */
    tier: TierName | "workers" | "search";
    instanceType: string;
    /** Servers; also the minimum in service during a refresh, see minHealthyPercentage. */
    size: number;
    /** Private application subnets, one per zone: the group spreads over all. */
    subnetIds: pulumi.Input<string>[];
    /** The tier's server security group, created outside compute (the data stores and the edge admit it). */
    securityGroupId: pulumi.Input<string>;
    /** Rendered user data (plain text; the component base64-encodes it). Never holds a secret value. */
    userData: pulumi.Input<string>;
    /** The Secrets Manager secret the servers read at every service start: the role may read exactly this one. */
    secretArn: pulumi.Input<string>;
    /** KMS key of that secret, if not the AWS managed one. @default none */
    secretKeyArn?: pulumi.Input<string>;
    /** CloudWatch Logs group the containers log to: the role may write exactly there. */
    logGroupArn: pulumi.Input<string>;
    /** Seconds a new server may take before load-balancer health checks count (Tracardi's start-up retries its databases). @default 600 */
    healthCheckGraceSeconds?: number;
    /** Percentage of `size` that stays in service during an instance refresh: the production guide's minimum. */
    minHealthyPercentage: number;
    /**
     * Percentage of `size` that may be in service or launching during a refresh (100 to 200, at most
     * 100 above the minimum): above 100, new servers start before old ones stop. @default AWS's 100
     */
    maxHealthyPercentage?: number;
    /** Root volume. @default 30 */
    rootVolumeGiB?: number;
    /**
     * Replace the servers when the launch template changes (an instance refresh). Off, a change
     * reaches each server when it is next replaced. @default true
     */
    refreshOnChange?: boolean;
    /** "ELB" also replaces servers that fail their load balancers' health checks. @default "ELB" */
    healthCheckType?: "ELB" | "EC2";
    /**
     * A launch lifecycle hook the server completes itself once it is ready: until then the group
     * (and `pulumi up`, which waits for the group's capacity) does not count it in service.
     */
    launchHook?: { name: string; heartbeatSeconds: number };
    /** Statements added to the servers' role policy. */
    extraStatements?: pulumi.Input<Record<string, unknown>[]>;
    /** An instance role made with serverRole outside the group (a policy that must name it comes first); the group adds its policy to it. @default a role of the group's own */
    role?: aws.iam.Role;
    /**
     * Never more than `size` servers: a replacement starts only once the server it replaces has
     * terminated, for servers that hold what only one may hold (a volume, an address). @default false
     */
    exclusive?: boolean;
    tags: Record<string, string>;
}

const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 600;
const DEFAULT_ROOT_VOLUME_GIB = 30;
/** The AL2023 AMIs' root snapshot: a smaller root volume fails at launch. */
const MIN_ROOT_VOLUME_GIB = 8;
/** EC2 takes at most 16 KB of user data, counted before base64. */
export const MAX_USER_DATA_BYTES = 16384;
/** SSM public parameter holding the current Amazon Linux 2023 AMI for the type's architecture. */
export function amiParameterName(instanceType: string): string {
    const arm64 = instanceCapacity(instanceType)?.arm64 ?? false;
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arm64 ? "arm64" : "x86_64"}`;
}

function argsError(propertyPath: string, reason: string): Error {
    return new pulumi.InputPropertyError({ propertyPath, reason: `${propertyPath} ${reason}` });
}

const isInteger = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** Refuses arguments AWS would only refuse at apply time, or not at all. */
export function checkVmTierArgs(args: VmTierArgs): void {
    if (!isInteger(args.size, 1)) {
        throw argsError("size", `must be a whole number of servers, at least 1 (given ${args.size}; allowed: integers >= 1)`);
    }
    if (!isInteger(args.minHealthyPercentage, 0, 100)) {
        throw argsError("minHealthyPercentage",
            `is a percentage of size that stays in service during an instance refresh (given ${args.minHealthyPercentage}; allowed: integers 0 to 100)`);
    }
    if (args.maxHealthyPercentage !== undefined && (!isInteger(args.maxHealthyPercentage, 100, 200) ||
        args.maxHealthyPercentage - args.minHealthyPercentage > 100)) {
        throw argsError("maxHealthyPercentage", `bounds what a refresh may run at once (given ${args.maxHealthyPercentage}; ` +
            "allowed: integers 100 to 200, at most 100 above minHealthyPercentage)");
    }
    if (!instanceCapacity(args.instanceType)) {
        throw argsError("instanceType", `is not a type this program knows (given "${args.instanceType}"; allowed: ${SUPPORTED_INSTANCE_TYPES})`);
    }
    if (args.subnetIds.length === 0) {
        throw argsError("subnetIds", "is empty: the group needs the application subnet of at least one zone (allowed: one subnet per zone)");
    }
    if (args.healthCheckGraceSeconds !== undefined && !isInteger(args.healthCheckGraceSeconds, 0)) {
        throw argsError("healthCheckGraceSeconds", `must be whole seconds (given ${args.healthCheckGraceSeconds}; allowed: integers >= 0)`);
    }
    if (args.rootVolumeGiB !== undefined && !isInteger(args.rootVolumeGiB, MIN_ROOT_VOLUME_GIB, 16384)) {
        throw argsError("rootVolumeGiB",
            `must hold the AMI's ${MIN_ROOT_VOLUME_GIB} GiB snapshot and fit gp3 (given ${args.rootVolumeGiB}; allowed: integers ${MIN_ROOT_VOLUME_GIB} to 16384)`);
    }
}

/** User data as the launch template takes it, refused when EC2 would refuse it. */
export function encodeUserData(text: string): string {
    // Gzipped: cloud-init unpacks gzip user data itself, and a server's units, scripts and plain
    // environments pass 16 KB as text (a GUI-facing API server with its workers and the install).
    // Node's gzip writes no timestamp, so the same text gives the same bytes and no needless refresh.
    const gzipped = zlib.gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    // zlib writes the operating system into the header (3 Unix, 19 macOS, 10 Windows: zutil.h
    // OS_CODE): fixed, so a `pulumi up` from another system does not refresh every server.
    gzipped[9] = 3;
    if (gzipped.length > MAX_USER_DATA_BYTES) {
        throw new Error(`user data of a VM tier is ${gzipped.length} bytes gzipped; EC2 accepts at most ${MAX_USER_DATA_BYTES} before base64`);
    }
    return gzipped.toString("base64");
}

interface ServerPolicyInputs {
    secretArn: string;
    secretKeyArn?: string;
    logGroupArn: string;
    region: string;
}

/**
 * What the servers may do beyond Systems Manager: read one secret (through Secrets Manager only,
 * when it has a key of its own), write to one log group, and report the agent's metrics in its
 * namespace. Used instead of CloudWatchAgentServerPolicy, which allows writing to (and creating)
 * every log group in the account.
 */
function serverPolicy(inputs: ServerPolicyInputs): { Version: string; Statement: Record<string, unknown>[] } {
    // The provider's log group ARN has no ":*"; accept one given with it. Streams are ARN + ":log-stream:NAME".
    const logGroupArn = inputs.logGroupArn.replace(/:\*$/, "");
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadTheStackSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: inputs.secretArn },
            ...(inputs.secretKeyArn ? [{
                Sid: "DecryptTheStackSecret",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: inputs.secretKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${inputs.region}.amazonaws.com` } },
            }] : []),
            {
                Sid: "WriteTheTierLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [logGroupArn, `${logGroupArn}:*`],
            },
            {
                // PutMetricData has no resource ARNs; the namespace condition is its only bound.
                Sid: "ReportAgentMetrics",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": CLOUDWATCH_AGENT_CONFIG.metrics.namespace } },
            },
            // The agent's dimensions (Auto Scaling group name, volume ids); neither action has resource ARNs.
            { Sid: "DescribeForAgentDimensions", Effect: "Allow", Action: ["ec2:DescribeTags", "ec2:DescribeVolumes"], Resource: "*" },
        ],
    };
}

/** An instance role for servers: Session Manager (no SSH, no key pair) is how operators get a shell. */
export function serverRole(name: string, description: string, tags: Record<string, string>, parent: pulumi.Resource): aws.iam.Role {
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    return new aws.iam.Role(name, {
        description,
        assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        managedPolicyArns: [partition.apply((p) => managedPolicy(p, "AmazonSSMManagedInstanceCore"))],
        tags,
    }, { parent });
}

/**
 * The group's launch hook, in place before its first server starts (a hook added later misses the
 * servers of the create). The provider waits for the group's capacity on create
 * (terraform-provider-aws internal/service/autoscaling/group.go, wait_for_capacity_timeout, 10
 * minutes by default): a server pending on its hook counts only once completed, so the wait covers
 * the hook's whole heartbeat, after which AWS abandons the launch (defaultResult) and starts another.
 */
export function launchHookSettings(hook: { name: string; heartbeatSeconds: number }):
    Pick<aws.autoscaling.GroupArgs, "initialLifecycleHooks" | "waitForCapacityTimeout" | "ignoreFailedScalingActivities"> {
    return {
        initialLifecycleHooks: [{
            name: hook.name,
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            heartbeatTimeout: hook.heartbeatSeconds,
            // A server that never completes (its set-up failed, its service never came up) is given up and replaced.
            defaultResult: "ABANDON",
        }],
        // Room for one launch given up at the heartbeat's end and its replacement.
        waitForCapacityTimeout: `${Math.ceil((2 * hook.heartbeatSeconds) / 60) + 15}m`,
        // A server that gives its launch up is replaced by the group; the create waits on for the
        // replacement instead of failing at the first abandoned launch (group.go fails the wait on
        // any failed scaling activity unless this is set).
        ignoreFailedScalingActivities: true,
    };
}

/**
 * One tier's servers on EC2 without Kubernetes: an Auto Scaling group over every zone's application
 * subnet, on a launch template with the current Amazon Linux 2023 AMI, IMDSv2 only, an encrypted
 * root volume, no public address and no SSH key (Session Manager gives operators a shell), and an
 * instance role that reads exactly the stack's secret and writes exactly the tier's log group.
 *
 * Load balancers attach from outside (the edge, with aws.autoscaling.Attachment): the group sets no
 * targetGroupArns. That attribute is Optional+Computed in the provider
 * (terraform-provider-aws internal/service/autoscaling/group.go), so leaving it unset shows no drift
 * when attachments add target groups, and no ignoreChanges is needed; setting it here as well would
 * make the group and the attachments fight over the same target groups.
 */
export class VmTier extends pulumi.ComponentResource {
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: VmTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:vm:Tier", name, {}, opts);
        checkVmTierArgs(args);
        const parent = { parent: this };
        // Every resource of the tier carries it, and its servers from launch.
        const tags = { ...args.tags, [TIER_TAG]: args.tier };
        const grace = args.healthCheckGraceSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS;
        const region = aws.getRegionOutput({}, parent).region;

        const role = args.role ?? serverRole(`${name}-servers`, `Servers of the ${args.tier} tier`, tags, this);
        this.roleArn = role.arn;
        const rolePolicy = new aws.iam.RolePolicy(`${name}-servers`, {
            role: role.id,
            policy: pulumi.all([args.secretArn, args.secretKeyArn, args.logGroupArn, region, args.extraStatements ?? []])
                .apply(([secretArn, secretKeyArn, logGroupArn, r, extra]) => {
                    const policy = serverPolicy({ secretArn, secretKeyArn, logGroupArn, region: r });
                    return JSON.stringify({ ...policy, Statement: [...policy.Statement, ...extra] });
                }),
        }, parent);
        const profile = new aws.iam.InstanceProfile(`${name}-servers`, { role: role.name, tags }, parent);

        // Resolved at deploy time into a plain AMI id, not "resolve:ssm:" in the template: auto
        // rollback refuses templates whose ImageId is an SSM parameter (API_RefreshPreferences,
        // AutoRollback). insecureValue: `value` is always marked secret, and an AMI id is public.
        // A newer AMI makes a new template version, and so an instance refresh, on the next `up`.
        const imageId = aws.ssm.getParameterOutput({ name: amiParameterName(args.instanceType) }, parent).insecureValue;

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-lt`, {
            description: `Servers of the ${args.tier} tier`,
            imageId,
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            // Hop limit 1: containers cannot reach the instance credentials; the host fetches the secrets.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: {
                    volumeSize: args.rootVolumeGiB ?? DEFAULT_ROOT_VOLUME_GIB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true",
                },
            }],
            // No public address and no key pair: the servers sit in private subnets behind NAT.
            networkInterfaces: [{
                deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [args.securityGroupId], deleteOnTermination: "true",
            }],
            userData: pulumi.output(args.userData).apply(encodeUserData),
            tagSpecifications: [
                { resourceType: "instance", tags: named(tags, name) },
                { resourceType: "volume", tags: named(tags, name) },
            ],
            updateDefaultVersion: true,
            tags: named(tags, name),
        }, parent);

        const group = new aws.autoscaling.Group(`${name}-asg`, {
            vpcZoneIdentifiers: args.subnetIds,
            // One spare above the size, for replacing a server without going below it; room for what a
            // refresh may run at once too, whichever way AWS rounds maxHealthyPercentage.
            minSize: args.size,
            desiredCapacity: args.size,
            maxSize: args.exclusive ? args.size : Math.max(args.size + 1, Math.ceil((args.size * (args.maxHealthyPercentage ?? 100)) / 100)),
            ...(args.exclusive ? { instanceMaintenancePolicy: { minHealthyPercentage: 0, maxHealthyPercentage: 100 } } : {}),
            healthCheckType: args.healthCheckType ?? "ELB",
            healthCheckGracePeriod: grace,
            // AWS recommends setting it in all cases; refreshes wait for it after each new server
            // goes InService (API_RefreshPreferences, InstanceWarmup).
            defaultInstanceWarmup: grace,
            // A numbered version, never $Latest/$Default: a refresh starts only on a version change,
            // and rollback needs one (API_RefreshPreferences, AutoRollback).
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            instanceRefresh: args.refreshOnChange === false ? undefined : {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: args.minHealthyPercentage,
                    maxHealthyPercentage: args.maxHealthyPercentage,
                    // Equal to the grace period, so the next server is replaced only once the last
                    // one's load-balancer health checks count.
                    instanceWarmup: String(grace),
                    // No automatic rollback: the provider saves the new template version on the group
                    // before it starts the refresh, so AWS would "roll back" to that same version
                    // (hashicorp/terraform-provider-aws#34189). Rolling back is reverting the stack's
                    // configuration and `pulumi up` (README).
                    autoRollback: false,
                    skipMatching: true,
                    scaleInProtectedInstances: "Refresh",
                    standbyInstances: "Terminate",
                },
            },
            ...(args.launchHook ? launchHookSettings(args.launchHook) : {}),
            tags: Object.entries(named(tags, name)).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // The first servers read the secret and write logs at boot: their permissions come first.
        }, { parent: this, dependsOn: [rolePolicy] });
        this.autoScalingGroupName = group.name;

        this.registerOutputs({ autoScalingGroupName: this.autoScalingGroupName, roleArn: this.roleArn });
    }
}
