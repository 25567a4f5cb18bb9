import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { managedPolicy, serviceTrustPolicy } from "../lib/iam";
import { ENHANCED_MONITORING_INTERVAL, PERFORMANCE_INSIGHTS_RETENTION_DAYS, supportsPerformanceInsights } from "../lib/rds";
import { clientOnlySecurityGroup } from "./clientOnlySecurityGroup";

export interface MysqlArgs {
    vpcId: pulumi.Input<string>;
    /** Private data subnets, one per zone. */
    subnetIds: pulumi.Input<string>[];
    instanceClass: string;
    storageGiB: number;
    backupRetentionDays: number;
    multiAz: boolean;
    /** Stack-unique prefix (letters, digits, hyphens) for names AWS wants unique in the account. */
    identifier: string;
    /** Master password, a Pulumi secret. */
    password: pulumi.Output<string>;
    /** Security groups of the only servers allowed to connect (the API tiers). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** AWS refuses to delete the instance. @default true */
    deletionProtection?: boolean;
    tags: Record<string, string>;
}

export const MYSQL_PORT = 3306;
export const MYSQL_USERNAME = "tracardi";
export const MYSQL_DATABASE = "tracardi";
export const MYSQL_ENGINE_VERSION = "8.0";
export const MYSQL_PARAMETER_FAMILY = `mysql${MYSQL_ENGINE_VERSION}`;
/** Slow queries (over two seconds) to the log file that RDS exports to CloudWatch Logs. */
export const MYSQL_PARAMETERS: Record<string, string> = { slow_query_log: "1", long_query_time: "2", log_output: "FILE" };

/**
 * RDS MySQL for Tracardi 0.9+: encrypted, backed up, deletion-protected twice (by AWS and by
 * Pulumi), in the data subnets, admitting the API tiers only; enhanced monitoring every minute, and
 * Performance Insights where the instance class has it.
 */
export class Mysql extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly port = MYSQL_PORT;
    readonly username = MYSQL_USERNAME;
    readonly database = MYSQL_DATABASE;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: MysqlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:data:Mysql", name, {}, opts);
        const parent = { parent: this };
        const { tags } = args;

        const securityGroup = clientOnlySecurityGroup(name, {
            vpcId: args.vpcId, service: "MySQL", port: MYSQL_PORT, clientSecurityGroupIds: args.clientSecurityGroupIds, tags,
        }, this);
        this.securityGroupId = securityGroup.id;

        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, {
            description: "Tracardi MySQL data subnets",
            subnetIds: args.subnetIds,
            tags,
        }, parent);

        // The default group has slow_query_log off, so the exported slow-query log would stay empty.
        const parameters = new aws.rds.ParameterGroup(`${name}-params`, {
            family: MYSQL_PARAMETER_FAMILY,
            description: "Tracardi MySQL: slow queries logged",
            parameters: Object.entries(MYSQL_PARAMETERS).map(([parameterName, value]) => ({ name: parameterName, value, applyMethod: "immediate" })),
            tags,
        }, parent);

        // Snapshot names are unique per account and region: one per stack, and per incarnation
        // of it, so destroying a re-created stack does not collide with its old snapshot.
        const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, parent);

        // Enhanced monitoring publishes OS metrics (per-process CPU, memory, disk) through this role,
        // which only RDS monitoring of this account can assume.
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const monitoringRole = new aws.iam.Role(`${name}-monitoring`, {
            assumeRolePolicy: account.apply((accountId) => serviceTrustPolicy("monitoring.rds.amazonaws.com", accountId)),
            managedPolicyArns: [aws.getPartitionOutput({}, parent).partition.apply((p) => managedPolicy(p, "service-role/AmazonRDSEnhancedMonitoringRole"))],
            tags,
        }, parent);
        const insights = supportsPerformanceInsights(args.instanceClass);

        const instance = new aws.rds.Instance(`${name}-db`, {
            engine: "mysql",
            // 8.0: its master user authenticates with mysql_native_password, which Tracardi's driver
            // speaks without TLS; 8.4 defaults to caching_sha2_password (see README).
            engineVersion: MYSQL_ENGINE_VERSION,
            instanceClass: args.instanceClass,
            allocatedStorage: args.storageGiB,
            // Grows on its own up to five times the initial size before anyone must act.
            maxAllocatedStorage: args.storageGiB * 5,
            storageType: "gp3",
            storageEncrypted: true,
            multiAz: args.multiAz,
            // Tracardi runs CREATE DATABASE IF NOT EXISTS at start-up; creating it here as well
            // makes the name explicit.
            dbName: MYSQL_DATABASE,
            username: MYSQL_USERNAME,
            password: args.password,
            port: MYSQL_PORT,
            dbSubnetGroupName: subnets.name,
            parameterGroupName: parameters.name,
            vpcSecurityGroupIds: [securityGroup.id],
            publiclyAccessible: false,
            backupRetentionPeriod: args.backupRetentionDays,
            copyTagsToSnapshot: true,
            deletionProtection: args.deletionProtection ?? true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: pulumi.interpolate`${args.identifier}-final-${snapshotSuffix.hex}`,
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: ["error", "slowquery"],
            monitoringInterval: ENHANCED_MONITORING_INTERVAL,
            monitoringRoleArn: monitoringRole.arn,
            performanceInsightsEnabled: insights,
            performanceInsightsRetentionPeriod: insights ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : undefined,
            tags,
        }, { parent: this, protect: true });
        this.host = instance.address;

        this.registerOutputs({ host: this.host });
    }
}
