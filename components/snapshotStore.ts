import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { snapshotBucketPolicy } from "../lib/elasticsearch";
import { snapshotKeyPolicy } from "../lib/kms";
import { privateBucket, PrivateBucket } from "./privateBucket";

export interface SnapshotStoreArgs {
    /** The identities that write snapshots (a user's or roles' ARNs): the key's only users. */
    writerArns: pulumi.Input<string>[];
    region: pulumi.Input<string>;
    /** IAM roles or users that may read the snapshots (decrypt only, through S3). @default [] */
    readerArns?: string[];
    /** Days S3 keeps a deleted or overwritten snapshot file before removing it for good. @default 30 */
    noncurrentVersionDays?: number;
    tags: Record<string, string>;
}

/**
 * Where search snapshots go, whichever runs search: snapshots hold every profile Tracardi collected,
 * so a KMS key of their own (the account administers it, only the writers use it, through S3) and
 * a private, versioned bucket, both protected. `<name>-snapshots` children of `parent`.
 */
export function snapshotStore(name: string, args: SnapshotStoreArgs, parent: pulumi.Resource): PrivateBucket & { key: aws.kms.Key } {
    const key = new aws.kms.Key(`${name}-snapshots`, {
        description: "Encrypts the Elasticsearch snapshots of Tracardi",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([pulumi.all(args.writerArns), args.region]).apply(([writers, region]) => snapshotKeyPolicy(writers, region, args.readerArns ?? [])),
        tags: args.tags,
    }, { parent, protect: true });
    const store = privateBucket(`${name}-snapshots`, {
        encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
        versioned: true,
        // Snapshot retention deletes files; their previous versions stay a while longer, in case it was a mistake.
        lifecycleRule: {
            id: "expire-deleted-snapshot-files",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        policy: (arn) => arn.apply(snapshotBucketPolicy),
        protect: true,
        tags: args.tags,
    }, parent);
    return { ...store, key };
}
