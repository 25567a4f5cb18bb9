import type { RecordedResource } from "../mocks";
import { dependencyUrns } from "../query";

/**
 * How long the first `pulumi up` takes: the critical path through the program's real dependency
 * graph (dependsOn, the resources each input was built from, the provider, and parents), each
 * resource weighted by how long its type typically takes to create.
 */

export interface TypicalTime {
    seconds: number;
    /** Where the figure comes from; "estimate" when no published figure was found. */
    source: string;
}

/** Types that are created by one API call that returns at once (IAM, security groups, S3, Route 53 zones' records aside...). */
export const DEFAULT_TIME: TypicalTime = { seconds: 10, source: "estimate: one create call, nothing awaited" };

/**
 * Typical create times. Published figures where found; the rest are estimates, with the Terraform
 * AWS provider's default create timeout (the same engine as @pulumi/aws) as the upper bound.
 */
const TYPICAL_TIMES: Record<string, TypicalTime> = {
    "aws:eks/cluster:Cluster": {
        seconds: 600, source: "AWS What's New 2021-03-19: \"create a new EKS cluster control plane in 9 minutes or less, on average\"; " +
            "users report 10-14 min (aws/containers-roadmap#1227)",
    },
    "aws:eks/nodeGroup:NodeGroup": { seconds: 240, source: "estimate: servers launched, booted and joined until ACTIVE (provider timeout 60 min)" },
    "aws:eks/addon:Addon": { seconds: 60, source: "estimate: until ACTIVE (provider timeout 20 min)" },
    "aws:rds/instance:Instance": {
        seconds: 1080, source: "Multi-AZ: 15-20 min from create to available (hashicorp/terraform#498, RDS event log quoted there)",
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        seconds: 600, source: "estimate: a single-node cluster took 395 s in the provider's acceptance test (hashicorp/terraform#8275); " +
            "a replication group waits for every node (provider timeout 60 min)",
    },
    "aws:lb/loadBalancer:LoadBalancer": { seconds: 180, source: "estimate: provisioning until active (provider timeout 10 min)" },
    "aws:acm/certificateValidation:CertificateValidation": {
        seconds: 300, source: "estimate: DNS validation once the Route 53 record exists (provider timeout 75 min)",
    },
    "aws:ec2/natGateway:NatGateway": { seconds: 120, source: "estimate: pending until available (provider timeout 10 min)" },
    "aws:autoscaling/group:Group": {
        seconds: 300, source: "estimate: waits for its minimum of servers in service: launch, boot, user data (provider wait_for_capacity_timeout 10 min)",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { seconds: 60, source: "estimate: pending until available (provider timeout 10 min)" },
    "aws:ec2/vpc:Vpc": { seconds: 20, source: "provider acceptance logs: 20-39 s (turbot/steampipe-plugin-aws#184, #246)" },
    "aws:route53/record:Record": { seconds: 45, source: "estimate: the provider waits for the change to be INSYNC" },
    "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch": {
        seconds: 420, source: "estimate: pods scheduled on the search servers, image pulled, cluster formed, awaited until health green",
    },
    "kubernetes:helm.sh/v3:Release": { seconds: 120, source: "estimate: chart installed and its resources ready (the ECK operator)" },
    "kubernetes:batch/v1:Job": { seconds: 180, source: "estimate: image pulled, Tracardi's install (indices, users) run to completion" },
    "kubernetes:apps/v1:Deployment": { seconds: 120, source: "estimate: rollout awaited: image pulled, pods ready" },
};

const NO_TIME: TypicalTime = { seconds: 0, source: "no cloud work (component, provider or random value)" };

export function typicalTime(resource: RecordedResource): TypicalTime {
    if (!resource.custom || resource.type.startsWith("pulumi:providers:") || resource.type.startsWith("random:")) {
        return NO_TIME;
    }
    if (resource.type === "aws:rds/instance:Instance" && !resource.inputs.multiAz) {
        return { seconds: 540, source: "single-AZ: 5-10 min from create to available (hashicorp/terraform#498)" };
    }
    if (resource.type === "aws:autoscaling/group:Group" && Array.isArray(resource.inputs.initialLifecycleHooks) && resource.inputs.initialLifecycleHooks.length > 0) {
        return {
            seconds: 600,
            source: "estimate: a launch hook holds each server until it completes it (a search node: boot, Docker and the Elasticsearch image, the cluster formed and green)",
        };
    }
    if (resource.type === "aws:autoscaling/group:Group" && String(resource.inputs.waitForCapacityTimeout) === "0") {
        return { seconds: 30, source: "estimate: wait_for_capacity_timeout 0, the group is created without waiting for servers" };
    }
    return TYPICAL_TIMES[resource.type] ?? DEFAULT_TIME;
}

export interface PathStep {
    type: string;
    name: string;
    seconds: number;
}

export interface DeployTime {
    criticalPathSeconds: number;
    /** The resources on the critical path, in creation order (components left out: they take no time of their own). */
    path: PathStep[];
}

/** The URN a provider reference (`<provider urn>::<id>`) names. */
const providerUrn = (reference: string) => reference.slice(0, reference.lastIndexOf("::"));

/**
 * The critical path. A resource starts once everything it depends on has finished, and once
 * everything its ancestors depend on has (a child cannot start before its parent's dependencies);
 * a custom resource then takes its typical time; a component finishes when its last child does.
 * Depending on a component waits for its children, as Pulumi does.
 */
export function criticalPath(resources: RecordedResource[], timeOf: (r: RecordedResource) => number = (r) => typicalTime(r).seconds): DeployTime {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    for (const r of resources) {
        if (r.parent) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
        }
    }
    const ancestors = (r: RecordedResource): RecordedResource[] => {
        const found: RecordedResource[] = [];
        for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
            found.push(p);
        }
        return found;
    };
    const ownDeps = (r: RecordedResource) => [
        ...dependencyUrns(r), ...(r.provider ? [providerUrn(r.provider)] : []),
    ];
    const depsOf = (r: RecordedResource): RecordedResource[] => {
        const up = ancestors(r);
        const excluded = new Set([r.urn, ...up.map((a) => a.urn)]);
        const urns = new Set([r, ...up].flatMap(ownDeps));
        return [...urns].filter((u) => !excluded.has(u) && byUrn.has(u)).map((u) => byUrn.get(u)!);
    };

    const finish = new Map<string, number>();
    /** What decided each resource's finish: the dependency it waited for, or the child that finished last. */
    const via = new Map<string, RecordedResource | undefined>();
    const visiting = new Set<string>();
    const finishOf = (r: RecordedResource): number => {
        const known = finish.get(r.urn);
        if (known !== undefined) {
            return known;
        }
        if (visiting.has(r.urn)) {
            // A cycle through a component and its own dependants: the edge back adds nothing.
            return 0;
        }
        visiting.add(r.urn);
        let start = 0;
        let last: RecordedResource | undefined;
        for (const dep of depsOf(r)) {
            const t = finishOf(dep);
            if (t > start) {
                start = t;
                last = dep;
            }
        }
        let end = start + (r.custom ? timeOf(r) : 0);
        if (!r.custom) {
            for (const child of children.get(r.urn) ?? []) {
                const t = finishOf(child);
                if (t > end) {
                    end = t;
                    last = child;
                }
            }
        }
        visiting.delete(r.urn);
        finish.set(r.urn, end);
        via.set(r.urn, last);
        return end;
    };

    let end: RecordedResource | undefined;
    for (const r of resources) {
        if (!end || finishOf(r) > finishOf(end)) {
            end = r;
        }
    }
    const path: PathStep[] = [];
    for (let r = end; r; r = via.get(r.urn)) {
        if (r.custom) {
            path.unshift({ type: r.type, name: r.name, seconds: timeOf(r) });
        }
    }
    return { criticalPathSeconds: end ? finishOf(end) : 0, path };
}
