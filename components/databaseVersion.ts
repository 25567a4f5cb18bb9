import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface DatabaseVersionArgs {
    /** The Tracardi database version the stack's release uses (index names carry it). */
    databaseVersion: string;
    /** The operator declared a migration from another database version (`upgradeFrom`). @default false */
    migrating?: boolean;
}

/**
 * A guard against moving to a release with another database version by accident. Tracardi's
 * indices are named for their database version, and a release of a new one starts on new, empty
 * indices: the data follows only through Tracardi's migration. The guard is a protected resource
 * that such a change would replace; Pulumi refuses to replace a protected resource, in the preview
 * already ("unable to replace resource ... marked for protection"), unless the same run takes the
 * protection off, which the stack does only when `upgradeFrom` declares the migration
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go: `new.Protect && old.Protect`).
 */
export class DatabaseVersion extends pulumi.ComponentResource {
    readonly databaseVersion: string;

    constructor(name: string, args: DatabaseVersionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:data:DatabaseVersion", name, {}, opts);
        this.databaseVersion = args.databaseVersion;
        new random.RandomId(`${name}-guard`, { byteLength: 4, keepers: { databaseVersion: args.databaseVersion } },
            { parent: this, protect: !args.migrating });
        this.registerOutputs({ databaseVersion: this.databaseVersion });
    }
}
