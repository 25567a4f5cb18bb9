import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isPrivate } from "../lib/cidr";
import { admitsTcpPort, INGRESS_TYPES, ingressOf } from "../lib/ingress";
import { at, forTypes, isTrue, record, records, texts } from "../lib/props";
import { AWS } from "../lib/types";

/** The servers: metadata behind session tokens, private addresses only, no SSH from outside the VPC. */

export const imdsv2Required: ResourceValidationPolicy = {
    name: "tracardi-imdsv2-required",
    description: "Servers (node groups', Auto Scaling groups' and lone instances) require IMDSv2 session tokens, so a request forgery on a server cannot read its role's credentials.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([AWS.launchTemplate, AWS.launchConfiguration, AWS.instance, AWS.nodeGroup], (props, args, report) => {
        if (args.type === AWS.nodeGroup) {
            if (props.launchTemplate === undefined) {
                report(`node group ${args.name} uses EKS's default launch template, which does not require IMDSv2: ` +
                    "give it a launch template with metadataOptions.httpTokens \"required\"");
            }
            return;
        }
        if (at(props, "metadataOptions.httpTokens") !== "required") {
            report(`${args.name} allows IMDSv1: set metadataOptions.httpTokens to "required"`);
        }
    }),
};

export const noPublicIps: ResourceValidationPolicy = {
    name: "tracardi-no-public-ips",
    description: "No server gets a public IP address: subnets do not hand them out and launch templates do not ask for them.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([AWS.launchTemplate, AWS.launchConfiguration, AWS.instance, AWS.subnet], (props, args, report) => {
        if (args.type === AWS.subnet) {
            if (isTrue(props.mapPublicIpOnLaunch)) {
                report(`subnet ${args.name} gives every server a public IP: set mapPublicIpOnLaunch: false (load balancers and NAT gateways do not need it)`);
            }
            return;
        }
        const asks = args.type !== AWS.launchTemplate
            ? isTrue(props.associatePublicIpAddress)
            : records(props.networkInterfaces).some((n) => isTrue(n.associatePublicIpAddress));
        if (asks) {
            report(`${args.name} asks for a public IP: set associatePublicIpAddress to false; servers sit in private subnets behind the load balancers`);
        }
    }),
};

export const noSshFromInternet: ResourceValidationPolicy = {
    name: "tracardi-no-ssh-from-internet",
    description: "Port 22 is never open to addresses outside private ranges, and node groups do not open SSH.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([...INGRESS_TYPES, AWS.nodeGroup], (props, args, report) => {
        if (args.type === AWS.nodeGroup) {
            const access = record(props.remoteAccess);
            if (props.remoteAccess !== undefined && texts(access.sourceSecurityGroupIds).length === 0) {
                report(`node group ${args.name} has remoteAccess without sourceSecurityGroupIds, which opens SSH to 0.0.0.0/0: ` +
                    "remove remoteAccess and reach nodes through SSM Session Manager");
            }
            return;
        }
        for (const rule of ingressOf(args.type, props).filter((r) => admitsTcpPort(r, 22))) {
            for (const cidr of rule.cidrs.filter((c) => !isPrivate(c))) {
                report(`${args.name} opens SSH (port 22) to ${cidr}: remove the rule; reach servers through SSM Session Manager or from inside the VPC`);
            }
        }
    }),
};

export const serverPolicies: ResourceValidationPolicy[] = [imdsv2Required, noPublicIps, noSshFromInternet];
