import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { INSTALL_SCRIPT, installInputs } from "../lib/manifests";
import type { TracardiRelease } from "../lib/releases";
import { EXTERNAL_SEARCH_SECRET, externalSearchSecretData } from "../lib/search";
import { guiApiTier, TierName, TierPlan, TierServing } from "../lib/tiers";
import { apiEnv, caFilePath, DataEndpoints, STACK_SECRET, stackSecretData, TracardiSettings, workerEnv } from "../lib/tracardiEnv";
import { renderServerUserData, secretKey, unitName, VmContainer } from "../lib/vmUserData";
import type { GeneratedSecretName } from "../stacks/secrets";
import { VmTier } from "./vmTier";

/**
 * The port every VM tier serves on, and its health check: the container's own probe path, asked
 * less often and forgiven longer than kube-proxy's on EKS, since a failed server is replaced, not
 * just taken out of rotation (30 s of failures, each check allowed 5 s).
 */
const PORT = 80;

export function vmTierServing(tier: TierPlan): TierServing {
    return { port: PORT, healthCheck: { port: PORT, path: tier.probePath, intervalSeconds: 10, timeoutSeconds: 5, unhealthyThreshold: 3 } };
}

/**
 * What a refresh keeps in service: every server of the tier (the production guide's minimums are
 * the sizes), one replacement started before an old server stops.
 */
export function refreshBounds(size: number): { minHealthyPercentage: number; maxHealthyPercentage: number } {
    return { minHealthyPercentage: 100, maxHealthyPercentage: Math.min(200, Math.ceil((100 * (size + 1)) / size)) };
}

export interface VmComputeArgs {
    tiers: TierPlan[];
    release: TracardiRelease;
    data: pulumi.Output<DataEndpoints>;
    settings: TracardiSettings;
    /** The stack's secrets (given or generated). */
    secrets: Record<GeneratedSecretName, pulumi.Output<string>>;
    /** An external Elasticsearch's password and CA, from secret config. */
    search: { password: pulumi.Output<string>; ca?: pulumi.Output<string> };
    adminEmail: string;
    /** Private application subnets, one per zone. */
    subnetIds: pulumi.Input<string>[];
    /** Each tier's server security group, made outside compute. */
    securityGroupIds: Partial<Record<TierName, pulumi.Input<string>>>;
    /** Days to keep the containers' logs. @default 90 */
    logRetentionDays?: number;
    tags: Record<string, string>;
}

/**
 * Tracardi on EC2 servers without Kubernetes: per tier an Auto Scaling group whose servers run the
 * tier's container under systemd, and a group of one for the release's workers and the install,
 * with the same environment the EKS tiers get. Their secrets sit in one Secrets Manager secret that
 * the servers read at every start; their logs go to one CloudWatch Logs group.
 */
export class VmCompute extends pulumi.ComponentResource {
    readonly tiers: Partial<Record<TierName, VmTier>>;
    /** The one server that runs the release's workers and the install. */
    readonly workers: VmTier;

    constructor(name: string, args: VmComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:vm:Compute", name, {}, opts);
        const parent = { parent: this };
        const { tags, release } = args;
        const region = aws.getRegionOutput({}, parent).region;

        // Every secret a server may need: the Secrets a pod would mount, by the reference the environment names each with.
        const under = (secretName: string, data: Record<string, string>) =>
            Object.entries(data).map(([key, value]) => [secretKey({ name: secretName, key }), value]);
        const entries = pulumi.all([args.secrets, args.search.password, args.search.ca]).apply(([stack, password, ca]) => JSON.stringify(Object.fromEntries([
            ...under(STACK_SECRET, stackSecretData(stack)),
            ...under(EXTERNAL_SEARCH_SECRET.name, externalSearchSecretData(password, ca)),
        ])));
        const secret = new aws.secretsmanager.Secret(`${name}-secrets`, {
            description: `Secrets the Tracardi servers read at every start (${STACK_SECRET})`,
            recoveryWindowInDays: 7,
            tags,
        }, parent);
        new aws.secretsmanager.SecretVersion(`${name}-secrets`, { secretId: secret.id, secretString: pulumi.secret(entries) }, parent);

        const logs = new aws.cloudwatch.LogGroup(`${name}-containers`, { retentionInDays: args.logRetentionDays ?? 90, tags }, parent);

        const guiApi = guiApiTier(args.tiers);
        const render = (containers: (data: DataEndpoints) => VmContainer[], install: boolean) =>
            pulumi.all([args.data, secret.arn, logs.name, region]).apply(([data, secretArn, logGroup, regionName]) => renderServerUserData({
                region: regionName, secretArn, logGroup, containers: containers(data),
                oneShots: install ? [{
                    name: "install", script: INSTALL_SCRIPT, after: unitName(guiApi.name),
                    ...installInputs(`http://127.0.0.1:${PORT}`, args.adminEmail),
                }] : [],
            }));
        const caFiles = (data: DataEndpoints) => (data.search.ca ? [{ secret: data.search.ca, path: caFilePath(data.search.ca) }] : []);
        const tierContainer = (tier: TierPlan, data: DataEndpoints): VmContainer => (tier.kind === "gui"
            ? { name: tier.name, image: release.guiImage, env: [], hostPort: PORT }
            : { name: tier.name, image: release.apiImage, env: apiEnv(tier.role!, tier.workers!, data, args.settings), hostPort: PORT, files: caFiles(data) });

        this.tiers = {};
        for (const tier of args.tiers) {
            this.tiers[tier.name] = new VmTier(`${name}-${tier.name}`, {
                tier: tier.name,
                instanceType: tier.instanceType,
                size: tier.instances,
                subnetIds: args.subnetIds,
                securityGroupId: args.securityGroupIds[tier.name]!,
                userData: render((data) => [tierContainer(tier, data)], false),
                secretArn: secret.arn,
                logGroupArn: logs.arn,
                ...refreshBounds(tier.instances),
                tags,
            }, parent);
        }

        // The release's workers on a group of one server of their own, never beside every GUI-facing
        // server: two copies of a worker would process the same jobs twice (a migration run twice
        // has corrupted data, Tracardi/tracardi#565), and the install would race itself. A refresh
        // stops the old server before the new one starts. The server also runs a GUI-facing API for
        // the install script alone, on its own address; it joins no load balancer. It is admitted to
        // the data stores as the GUI-facing tier.
        this.workers = new VmTier(`${name}-workers`, {
            tier: "workers",
            instanceType: guiApi.instanceType,
            size: 1,
            subnetIds: args.subnetIds,
            securityGroupId: args.securityGroupIds[guiApi.name]!,
            userData: render((data) => [
                tierContainer(guiApi, data),
                ...release.workers.map((worker) => ({
                    name: worker.name, image: worker.image, env: workerEnv(worker, data, args.settings),
                    memoryMiB: worker.resources.memoryMiB, files: caFiles(data),
                })),
            ], true),
            secretArn: secret.arn,
            logGroupArn: logs.arn,
            minHealthyPercentage: 0,
            maxHealthyPercentage: 100,
            tags,
        }, parent);
        this.registerOutputs({});
    }
}
