/** Pulumi type tokens the pack inspects (@pulumi/aws 7, @pulumi/kubernetes 4). */

export const AWS = {
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    autoScalingGroup: "aws:autoscaling/group:Group",
    instance: "aws:ec2/instance:Instance",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    natGateway: "aws:ec2/natGateway:NatGateway",
    flowLog: "aws:ec2/flowLog:FlowLog",
    eksCluster: "aws:eks/cluster:Cluster",
    eksAddon: "aws:eks/addon:Addon",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    rdsInstance: "aws:rds/instance:Instance",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    ebsVolume: "aws:ebs/volume:Volume",
    /** aws.s3.Bucket in @pulumi/aws 7; BucketV2 is its deprecated alias. */
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketEncryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
} as const;

export const SECURITY_GROUPS: readonly string[] = [AWS.securityGroup, AWS.defaultSecurityGroup];
export const BUCKETS: readonly string[] = [AWS.bucket, AWS.bucketV2];

export const K8S = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    elasticsearch: "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch",
} as const;

export const WORKLOADS: readonly string[] = [K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.job, K8S.cronJob];
