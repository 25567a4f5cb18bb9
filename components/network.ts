import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { named } from "../lib/tags";
import { ipv6Subnet, planSubnets, SubnetTier } from "../lib/subnets";

export interface NetworkArgs {
    /** IPv4 range of the VPC, /16 to /19. */
    cidr: string;
    /** How many availability zones to span (the region's first ones). */
    zoneCount: number;
    /** One NAT gateway per zone (a zone failure cuts off only that zone) or one for all. */
    natGateways: "perZone" | "single";
    /** Days to keep VPC flow logs. @default 90 */
    flowLogRetentionDays?: number;
    tags: Record<string, string>;
}

/**
 * The VPC: per zone a public subnet (load balancers, NAT), a private application subnet
 * (servers) and a private data subnet (search, Redis, MySQL). Nothing private gets a public IP.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly zones: pulumi.Output<string[]>;
    readonly subnetIds: Record<SubnetTier, pulumi.Output<string>[]>;
    /** The public subnets' ranges, where the load balancers' addresses are. */
    readonly publicCidrs: string[];
    /** The S3 gateway endpoint the private subnets reach S3 through: policies can require it. */
    readonly s3EndpointId: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:network:Network", name, {}, opts);
        const parent = { parent: this };
        const tags = args.tags;
        this.vpcCidr = args.cidr;

        // Local and Wavelength zones the account opted into sort among the regular zones but
        // lack NAT gateways and most instance types: regular zones only.
        const available = aws.getAvailabilityZonesOutput({
            state: "available",
            filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
        }, parent);
        this.zones = available.names.apply((names) => {
            if (names.length < args.zoneCount) {
                throw new pulumi.InputPropertyError({
                    propertyPath: "network.availabilityZones",
                    reason: `the region has ${names.length} available zones; ${args.zoneCount} were asked for`,
                });
            }
            return names.slice(0, args.zoneCount);
        });

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            // Amazon's /56: public subnets take a /64 each so load balancers answer IPv6 clients.
            assignGeneratedIpv6CidrBlock: true,
            tags: named(tags, `${name}-vpc`),
        }, parent);
        this.vpcId = vpc.id;

        // The default security group admits all traffic between its members: empty it so
        // nothing falls back on it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: named(tags, `${name}-default-deny`) }, parent);

        const subnets: Record<SubnetTier, aws.ec2.Subnet[]> = { public: [], app: [], data: [] };
        const plans = planSubnets(args.cidr, args.zoneCount);
        this.publicCidrs = plans.filter((p) => p.tier === "public").map((p) => p.cidr);
        for (const plan of plans) {
            const subnetName = `${name}-${plan.tier}-${plan.zoneIndex}`;
            subnets[plan.tier].push(new aws.ec2.Subnet(subnetName, {
                vpcId: vpc.id,
                cidrBlock: plan.cidr,
                ipv6CidrBlock: plan.tier === "public" ? vpc.ipv6CidrBlock.apply((block) => ipv6Subnet(block, plan.zoneIndex)) : undefined,
                availabilityZone: this.zones[plan.zoneIndex],
                mapPublicIpOnLaunch: false,
                assignIpv6AddressOnCreation: false,
                tags: named({ ...tags, "tracardi:subnet-tier": plan.tier }, subnetName),
            }, parent));
        }
        this.subnetIds = {
            public: subnets.public.map((s) => s.id),
            app: subnets.app.map((s) => s.id),
            data: subnets.data.map((s) => s.id),
        };

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named(tags, `${name}-igw`) }, parent);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { ipv6CidrBlock: "::/0", gatewayId: igw.id }],
            tags: named(tags, `${name}-public`),
        }, parent);
        subnets.public.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, {
            subnetId: subnet.id, routeTableId: publicRoutes.id,
        }, parent));

        const natCount = args.natGateways === "perZone" ? args.zoneCount : 1;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: named(tags, `${name}-nat-${i}`) }, parent);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: subnets.public[i].id,
                tags: named(tags, `${name}-nat-${i}`),
            }, { parent: this, dependsOn: [igw] });
        });

        // One private route table per zone, shared by its app and data subnets, leaving through
        // the zone's own NAT gateway when there is one per zone.
        const privateTables = Array.from({ length: args.zoneCount }, (_, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[Math.min(i, natCount - 1)].id }],
                tags: named(tags, `${name}-private-${i}`),
            }, parent);
            for (const tier of ["app", "data"] as const) {
                new aws.ec2.RouteTableAssociation(`${name}-${tier}-${i}`, { subnetId: subnets[tier][i].id, routeTableId: table.id }, parent);
            }
            return table;
        });

        // Image layers (ECR) and search snapshots go to S3 without crossing the NAT gateways.
        this.s3EndpointId = new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            serviceName: aws.getRegionOutput({}, parent).name.apply((region) => `com.amazonaws.${region}.s3`),
            vpcEndpointType: "Gateway",
            routeTableIds: privateTables.map((t) => t.id),
            tags: named(tags, `${name}-s3`),
        }, parent).id;

        const flowLogs = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            retentionInDays: args.flowLogRetentionDays ?? 90,
            tags,
        }, parent);
        const flowLogRole = new aws.iam.Role(`${name}-flow-logs`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, parent);
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: flowLogRole.id,
            policy: flowLogs.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [arn, `${arn}:*`],
                }],
            })),
        }, parent);
        new aws.ec2.FlowLog(`${name}-flow-log`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: flowLogs.arn,
            iamRoleArn: flowLogRole.arn,
            tags,
        }, parent);

        this.registerOutputs({ vpcId: this.vpcId, zones: this.zones, subnetIds: this.subnetIds });
    }
}
