import * as zlib from "zlib";
import type { RecordedResource } from "./mocks";

/** The user data of a recorded launch template, as the server runs it (base64 of gzip, unpacked). */
export function userDataOf(template: RecordedResource): string {
    return zlib.gunzipSync(Buffer.from(String(template.inputs.userData), "base64")).toString("utf8");
}

/** Each VM tier's user data in a stack, by the launch template's name. */
export function vmUserData(resources: RecordedResource[]): Record<string, string> {
    return Object.fromEntries(resources
        .filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.inputs.userData !== undefined)
        .map((r) => [r.name, userDataOf(r)]));
}
