import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { at, forTypes, isTrue, ofTypes, tagsOf, texts, TIER_TAG } from "../lib/props";
import { zonesOf } from "../lib/tiers";
import { SEARCH_TIER } from "../lib/search";
import { AWS } from "../lib/types";

/** Worth a warning, not a block: resilience and forensics that a stack can reasonably go without. */

export const natPerZone: StackValidationPolicy = {
    name: "tracardi-nat-per-zone",
    description: "One NAT gateway per zone, so losing a zone does not cut the others off the Internet (image pulls, AWS APIs).",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const zones = zonesOf(args.resources);
        const nats = ofTypes(args.resources, AWS.natGateway).length;
        if (zones.size > 1 && nats < zones.size) {
            report(`${nats} NAT gateway(s) serve ${zones.size} zones: losing the gateway's zone cuts every zone off the Internet; ` +
                "set tracardi:network.natGateways to perZone");
        }
    },
};

export const loadBalancerAccessLogs: ResourceValidationPolicy = {
    name: "tracardi-lb-access-logs",
    description: "Load balancers write access logs, the record of who called which path.",
    enforcementLevel: "advisory",
    validateResource: forTypes([AWS.loadBalancer], (props, args, report) => {
        // A network load balancer logs its TLS listeners only (ELB, "Access logs for your Network
        // Load Balancer"): search's internal one passes TCP through, which the VPC's flow logs record.
        if (props.loadBalancerType === "network" && isTrue(props.internal) && tagsOf(props)[TIER_TAG] === SEARCH_TIER) {
            return;
        }
        if (!isTrue(at(props, "accessLogs.enabled"))) {
            report(`load balancer ${args.name} keeps no access logs: set accessLogs { bucket, enabled: true } to an S3 bucket`);
        }
    }),
};

export const dropInvalidHeaders: ResourceValidationPolicy = {
    name: "tracardi-lb-drop-invalid-headers",
    description: "Application load balancers drop requests' invalid header fields instead of passing them to Tracardi.",
    enforcementLevel: "advisory",
    validateResource: forTypes([AWS.loadBalancer], (props, args, report) => {
        const application = (props.loadBalancerType ?? "application") === "application";
        if (application && props.dropInvalidHeaderFields !== true) {
            report(`load balancer ${args.name} passes invalid header fields on: set dropInvalidHeaderFields: true`);
        }
    }),
};

export const vpcFlowLogs: StackValidationPolicy = {
    name: "tracardi-vpc-flow-logs",
    description: "Every VPC records flow logs.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const logs = ofTypes(args.resources, AWS.flowLog);
        for (const vpc of ofTypes(args.resources, AWS.vpc)) {
            if (!logs.some((l) => l.dependencies.some((d) => d.urn === vpc.urn))) {
                report(`VPC ${vpc.name} records no flow logs: add an aws.ec2.FlowLog for it`, vpc.urn);
            }
        }
    },
};

export const eksEndpointRestricted: ResourceValidationPolicy = {
    name: "tracardi-eks-endpoint-restricted",
    description: "The EKS API endpoint is private, or public only to named networks.",
    enforcementLevel: "advisory",
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
        const publicEndpoint = at(props, "vpcConfig.endpointPublicAccess") !== false;
        const cidrs = texts(at(props, "vpcConfig.publicAccessCidrs"));
        if (publicEndpoint && (cidrs.length === 0 || cidrs.includes("0.0.0.0/0"))) {
            report(`EKS cluster ${args.name} answers its API on the whole Internet: set vpcConfig.publicAccessCidrs to the trusted networks ` +
                "or endpointPublicAccess: false");
        }
    }),
};

export const advisoryPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    natPerZone, loadBalancerAccessLogs, dropInvalidHeaders, vpcFlowLogs, eksEndpointRestricted,
];
