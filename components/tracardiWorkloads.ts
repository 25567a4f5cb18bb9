import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    apiDeployment, apiPodResources, guiDeployment, installJob, podDisruptionBudget, tierService, workerDeployment, workerRequests,
    workloadNetworkPolicies,
} from "../lib/manifests";
import { nodeModel } from "../lib/nodeModel";
import type { TracardiRelease } from "../lib/releases";
import { guiApiTier, TierPlan } from "../lib/tiers";
import { apiEnv, DataEndpoints, STACK_SECRET, stackSecretData, TracardiSettings, workerEnv } from "../lib/tracardiEnv";
import type { GeneratedSecretName } from "../stacks/secrets";

export interface TracardiWorkloadsArgs {
    provider: k8s.Provider;
    namespace: string;
    release: TracardiRelease;
    tiers: TierPlan[];
    data: pulumi.Input<DataEndpoints>;
    secrets: Record<GeneratedSecretName, pulumi.Output<string>>;
    adminEmail: string;
    settings: TracardiSettings;
    /** IPv4 ranges the load balancers send requests from (the public subnets). */
    loadBalancerCidrs: string[];
    /** What must be up before any pod starts (node groups, CoreDNS). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /**
     * What says search is ready for Tracardi (green, with Tracardi's user): the API and worker
     * Deployments wait for it. It may resolve after this component is built (search lives in its namespace).
     * @default none: search is outside the stack
     */
    searchReady?: pulumi.Input<pulumi.Resource>;
}

/**
 * Tracardi on Kubernetes: per tier a Deployment, a Service on fixed node ports for the load
 * balancers and a PodDisruptionBudget; the release's background workers; the stack's Secret; and the
 * job that performs the first installation through the API.
 */
export class TracardiWorkloads extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: TracardiWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:k8s:Workloads", name, {}, opts);
        const { release, tiers } = args;
        const options = { parent: this, provider: args.provider };

        const namespace = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: {
                name: args.namespace,
                labels: { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" },
            },
        }, { ...options, dependsOn: args.dependsOn });
        this.namespace = namespace.metadata.name;
        const inNamespace = { ...options, dependsOn: [namespace] };

        const secret = new k8s.core.v1.Secret(`${name}-secrets`, {
            metadata: { name: STACK_SECRET, namespace: args.namespace },
            type: "Opaque",
            stringData: stackSecretData(args.secrets),
        }, inNamespace);
        const ready = { ...options, dependsOn: [namespace, secret] };
        const searchReady = { ...options, dependsOn: [namespace, secret, ...(args.searchReady ? [args.searchReady] : [])] };

        const data = pulumi.output(args.data);
        const guiApi = guiApiTier(tiers);
        const deployments: Record<string, k8s.apps.v1.Deployment> = {};
        for (const tier of tiers) {
            const node = nodeModel(tier.instanceType)!;
            const manifest = tier.kind === "gui"
                ? pulumi.output(guiDeployment(tier, args.namespace, release.guiImage))
                : data.apply((d) => apiDeployment({
                    tier,
                    namespace: args.namespace,
                    image: release.apiImage,
                    env: apiEnv(tier.role!, tier.workers!, d, args.settings),
                    resources: apiPodResources(node, tier === guiApi ? workerRequests(release) : []),
                    searchCa: d.search.ca,
                }));
            deployments[tier.name] = new k8s.apps.v1.Deployment(`${name}-${tier.name}`, {
                metadata: manifest.metadata, spec: manifest.spec,
            }, tier.kind === "gui" ? ready : searchReady);
            // Kubernetes refuses to change a Service's health check node port: a new port replaces the
            // Service, the old one first (it has a fixed name).
            new k8s.core.v1.Service(`${name}-${tier.name}`, tierService(tier, args.namespace), {
                ...inNamespace, replaceOnChanges: ["spec.healthCheckNodePort"], deleteBeforeReplace: true,
            });
            new k8s.policy.v1.PodDisruptionBudget(`${name}-${tier.name}`, podDisruptionBudget(tier.name, args.namespace), inNamespace);
        }

        for (const worker of release.workers) {
            const manifest = data.apply((d) => workerDeployment({
                worker,
                namespace: args.namespace,
                env: workerEnv(worker, d, args.settings),
                nodeTier: guiApi.name,
                searchCa: d.search.ca,
            }));
            new k8s.apps.v1.Deployment(`${name}-${worker.name}`, { metadata: manifest.metadata, spec: manifest.spec }, searchReady);
        }

        const policies = workloadNetworkPolicies({
            namespace: args.namespace, tiers, loadBalancerCidrs: args.loadBalancerCidrs, installTarget: guiApi.name,
        });
        const allows = policies.allows.map((policy) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata.name}`, policy, inNamespace));
        // After the allows, so traffic to a running stack never meets the deny alone.
        new k8s.networking.v1.NetworkPolicy(`${name}-${policies.deny.metadata.name}`, policies.deny, { ...inNamespace, dependsOn: [namespace, ...allows] });

        // The service name resolves inside the namespace; port 80 is the Service's port.
        new k8s.batch.v1.Job(`${name}-install`, installJob({
            namespace: args.namespace,
            apiUrl: `http://${guiApi.name}.${args.namespace}.svc.cluster.local`,
            adminEmail: args.adminEmail,
            release: release.tag,
        }), {
            ...options,
            dependsOn: [secret, deployments[guiApi.name]],
            // Pulumi waits for the job; it may wait ten minutes for the API and fifteen to install.
            customTimeouts: { create: "40m", update: "40m" },
        });

        this.registerOutputs({ namespace: this.namespace });
    }
}
